import { randomBytes } from 'node:crypto';
import { Slapd, startSlapd } from '@harbor/testkit';
import { harborContract } from '../support/harbor-contract';
import { RunningSuite, startSuite } from '../support/suite';
import { ldapSteps } from './tour/steps/ldap.steps';
import { Tour, TourContext } from './tour/tour';
import { ldapCfgFor } from '../support/ldap-cfg';

jest.setTimeout(120_000);

/** The LDAP half of the tour: a suite in ldap_auth against a real slapd, every response checked against the swagger. */
describe('the API tour in ldap_auth, checked against Harbor’s swagger', () => {
  let slapd: Slapd;
  let suite: RunningSuite;
  let run: Tour;
  const directory = { groupDn: (cn: string) => slapd.groupDn(cn) };

  beforeAll(async () => {
    slapd = await startSlapd({
      users: [
        { uid: 'ldapdev', password: 'Dev-pass-1', cn: 'LDAP Developer', mail: 'ldapdev@example.test' },
        { uid: 'ldapout', password: 'Out-pass-1', cn: 'LDAP Outsider' },
      ],
      groups: [{ cn: 'developers', members: ['ldapdev'] }],
    });
    suite = await startSuite(ldapCfgFor(slapd));
    const ctx = new TourContext(suite.url, randomBytes(3).toString('hex'), () => suite.output('core'));
    ctx.credentials.set('admin', { username: 'admin', password: suite.adminPassword });
    ctx.credentials.set('developer', { username: 'ldapdev', password: 'Dev-pass-1' });
    ctx.credentials.set('nonMember', { username: 'ldapout', password: 'Out-pass-1' });
    run = new Tour(harborContract(), ctx);
  });
  afterAll(async () => {
    await suite?.stop();
    await slapd?.close();
  });

  it.each(ldapSteps(directory).map((step) => [step.name, step] as const))('%s', async (_name, step) => {
    await run.run(step);
  });
});
