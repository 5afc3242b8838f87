import { errorText } from './error-text';
import { fetchStandIn, jsonAnswer } from './fetch-stand-in';
import { pingLdap } from './ldap.api';

/** The LDAP test-connection client against a stand-in `fetch`. */
describe('LDAP API client', () => {
  const server = fetchStandIn();
  beforeAll(() => server.install());
  afterAll(() => server.restore());
  beforeEach(() => {
    server.calls.length = 0;
  });

  it('tests LDAP with the given LdapConf and reads LdapPingResult, failure included', async () => {
    server.answer = jsonAnswer({ success: false, message: 'connect ECONNREFUSED 127.0.0.1:1' });
    const result = await pingLdap({ ldap_url: 'ldap://127.0.0.1:1', ldap_connection_timeout: 3 });
    expect(server.lastUrl().pathname).toBe('/api/v2.0/ldap/ping');
    expect(server.calls[0]!.init.method).toBe('POST');
    expect(server.lastBody()).toEqual({ ldap_url: 'ldap://127.0.0.1:1', ldap_connection_timeout: 3 });
    expect(result).toEqual({ success: false, message: 'connect ECONNREFUSED 127.0.0.1:1' });
  });

  it('tells a refused body (a bad URL) in the server\'s words', async () => {
    server.answer = jsonAnswer({ errors: [{ code: 'BAD_REQUEST', message: 'ldap_url: expected an ldap:// or ldaps:// URL' }] }, { status: 400 });
    const err = await pingLdap({ ldap_url: 'http://x' }).catch((e: unknown) => e);
    expect(errorText(err, (key) => key)).toBe('ldap_url: expected an ldap:// or ldaps:// URL');
  });
});
