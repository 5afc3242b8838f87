import { getConfigurations, updateConfigurations } from './configuration.api';
import { errorText } from './error-text';
import { fetchStandIn, jsonAnswer } from './fetch-stand-in';

/** The configuration client against a stand-in `fetch`. */
describe('configuration API client', () => {
  const server = fetchStandIn();
  beforeAll(() => server.install());
  afterAll(() => server.restore());
  beforeEach(() => {
    server.calls.length = 0;
  });

  it('reads ConfigurationsResponse from GET /configurations', async () => {
    server.answer = jsonAnswer({ auth_mode: { value: 'db_auth', editable: true }, token_expiration: { value: 30, editable: true } });
    const config = await getConfigurations();
    expect(server.lastUrl().pathname).toBe('/api/v2.0/configurations');
    expect(config.auth_mode).toEqual({ value: 'db_auth', editable: true });
    expect(config.token_expiration?.value).toBe(30);
  });

  it('PUTs only the given keys, with the CSRF echo, and sends nothing when nothing changed', async () => {
    server.answer = () => new Response(null, { status: 200 });
    await updateConfigurations({ self_registration: true, token_expiration: 45 });
    expect(server.calls).toHaveLength(1);
    expect(server.calls[0]!.init.method).toBe('PUT');
    expect(server.calls[0]!.init.headers?.['X-Harbor-CSRF-Token']).toBe('tok/en');
    expect(server.lastBody()).toEqual({ self_registration: true, token_expiration: 45 });
    await updateConfigurations({});
    expect(server.calls).toHaveLength(1);
  });

  it('says why a change was refused, in the server\'s words', async () => {
    server.answer = jsonAnswer({ errors: [{ code: 'BAD_REQUEST', message: 'token_expiration must be a positive number of minutes' }] }, { status: 400 });
    const err = await updateConfigurations({ token_expiration: 0 }).catch((e: unknown) => e);
    expect(errorText(err, (key) => key)).toBe('token_expiration must be a positive number of minutes');
  });
});
