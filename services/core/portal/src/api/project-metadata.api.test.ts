import { errorText } from './error-text';
import { fetchStandIn, jsonAnswer } from './fetch-stand-in';
import { metadataOf, policiesOf, saveProjectPolicies } from './project-metadata.api';

/** The project settings client: Harbor's string metadata in and out, and the PUT that saves it. */
describe('portal project metadata API client', () => {
  const server = fetchStandIn();
  beforeAll(() => server.install());
  afterAll(() => server.restore());
  beforeEach(() => {
    server.calls.length = 0;
  });

  it('reads "true"/"false" strings as switches, unset keys as off and the severity as low', () => {
    expect(policiesOf({ public: 'true', auto_scan: 'false', prevent_vul: 'true', severity: 'high' })).toEqual({
      public: true,
      enableContentTrust: false,
      preventVul: true,
      severity: 'high',
      autoScan: false,
      reuseSysCveAllowlist: false,
    });
    expect(policiesOf({}).severity).toBe('low');
    expect(policiesOf({ severity: 'negligible' }).severity).toBe('low');
  });

  it('writes every setting back as Harbor\'s strings, so a switch turned off is saved as "false"', () => {
    const policies = policiesOf({ public: 'true', enable_content_trust: 'true' });
    expect(metadataOf({ ...policies, public: false })).toEqual({
      public: 'false',
      enable_content_trust: 'true',
      prevent_vul: 'false',
      severity: 'low',
      auto_scan: 'false',
      reuse_sys_cve_allowlist: 'false',
    });
  });

  it('saves with PUT /projects/{id} carrying only metadata, with the CSRF echo', async () => {
    server.answer = () => new Response(null, { status: 200 });
    await saveProjectPolicies(7, { ...policiesOf({}), public: true, autoScan: true });
    const call = server.calls[0]!;
    expect(call.url).toBe('/api/v2.0/projects/7');
    expect(call.init.method).toBe('PUT');
    expect(call.init.headers?.['X-Harbor-CSRF-Token']).toBe('tok/en');
    expect(server.lastBody()).toEqual({
      metadata: { public: 'true', enable_content_trust: 'false', prevent_vul: 'false', severity: 'low', auto_scan: 'true', reuse_sys_cve_allowlist: 'false' },
    });
  });

  it('shows a refusal in the server\'s words', async () => {
    server.answer = jsonAnswer({ errors: [{ code: 'FORBIDDEN', message: 'forbidden: project:update' }] }, { status: 403 });
    const err = await saveProjectPolicies(7, policiesOf({})).catch((e: unknown) => e);
    expect(errorText(err, (key) => key)).toBe('forbidden: project:update');
  });
});
