import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { harborContract } from '../support/harbor-contract';
import { RunningSuite, startSuite } from '../support/suite';
import { groupSteps, robotSteps } from './tour/steps/accounts.steps';
import { hostileSteps } from './tour/steps/hostile.steps';
import { identitySetupSteps, userSteps } from './tour/steps/identity.steps';
import { memberCleanupSteps, memberSteps, projectCleanupSteps, projectSteps, roleSteps } from './tour/steps/projects.steps';
import { registrySteps } from './tour/steps/registry.steps';
import { sessionSteps } from './tour/steps/session.steps';
import { settingsSteps } from './tour/steps/settings.steps';
import { systemSteps } from './tour/steps/system.steps';
import { Step, Tour, TourContext } from './tour/tour';
import { coverageReport } from './tour/coverage';

jest.setTimeout(120_000);

/** In order: later steps use the users, projects and ids earlier ones made. */
const tour: Step[] = [
  ...identitySetupSteps,
  ...systemSteps,
  ...userSteps,
  ...projectSteps,
  ...memberSteps,
  ...roleSteps,
  ...registrySteps,
  ...robotSteps,
  ...groupSteps,
  ...sessionSteps,
  ...settingsSteps,
  ...hostileSteps,
  ...memberCleanupSteps,
  ...projectCleanupSteps,
];

/**
 * Issue 4's proof: a scripted tour of core's API through the proxy — as
 * admin, as each project role, as a non-member and anonymously — with every
 * response checked against Harbor's swagger.
 */
describe('the API tour, checked against Harbor’s swagger', () => {
  let suite: RunningSuite;
  let run: Tour;
  beforeAll(async () => {
    suite = await startSuite();
    const ctx = new TourContext(suite.url, randomBytes(3).toString('hex'), () => suite.output('core'));
    ctx.credentials.set('admin', { username: 'admin', password: suite.adminPassword });
    run = new Tour(harborContract(), ctx);
  });
  afterAll(async () => {
    if (run) {
      const report = coverageReport(harborContract(), run.records);
      mkdirSync(join(__dirname, '..', 'artifacts'), { recursive: true });
      writeFileSync(join(__dirname, '..', 'artifacts', 'contract-coverage.txt'), report);
    }
    await suite?.stop();
  });

  // Steps depend on each other; once one fails, the rest would only repeat the failure.
  let failed: string | undefined;
  it.each(tour.map((step) => [step.name, step] as const))('%s', async (_name, step) => {
    if (failed) throw new Error(`not run: the earlier step "${failed}" failed`);
    try {
      await run.run(step);
    } catch (err) {
      if (isFoundational(step)) failed = step.name;
      throw err;
    }
  });
});

/** Steps whose failure leaves later steps without their users or projects. */
function isFoundational(step: Step): boolean {
  return step.as === 'admin' && step.method === 'POST' && (step.area === 'users' || step.area === 'projects' || step.area === 'members') && step.status === 201;
}
