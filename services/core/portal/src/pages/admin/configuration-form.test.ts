import type { ConfigurationsResponse } from '../../api/configuration.api';
import { changedConfigurations, configDefaults, formOf, ldapConfOf, lockedKeys, searchPasswordSet } from './configuration-form';

/** The configuration form ↔ Harbor's bodies: what the form starts from, what Save and "test connection" send. */
describe('configuration form mapping', () => {
  const response: ConfigurationsResponse = {
    auth_mode: { value: 'ldap_auth', editable: true },
    ldap_url: { value: 'ldap://dir.example:389', editable: true },
    ldap_search_dn: { value: 'cn=admin,dc=example', editable: true },
    ldap_base_dn: { value: 'ou=people,dc=example', editable: true },
    ldap_filter: { value: '(objectClass=person)', editable: true },
    ldap_uid: { value: 'uid', editable: true },
    ldap_scope: { value: 1, editable: true },
    ldap_timeout: { value: 7, editable: true },
    ldap_verify_cert: { value: false, editable: true },
    self_registration: { value: false, editable: true },
    project_creation_restriction: { value: 'everyone', editable: false },
    token_expiration: { value: 30, editable: true },
    robot_token_duration: { value: 90, editable: true },
  };

  it('starts from the response, with defaults for missing keys and an empty password', () => {
    const form = formOf(response);
    expect(form.auth_mode).toBe('ldap_auth');
    expect(form.ldap_scope).toBe(1);
    expect(form.ldap_verify_cert).toBe(false);
    expect(form.robot_token_duration).toBe(90);
    expect(form.ldap_group_search_scope).toBe(configDefaults.ldap_group_search_scope);
    expect(form.ldap_search_password).toBe('');
  });

  it('reads numbers sent as strings as numbers, and ignores values of the wrong type', () => {
    const form = formOf({ token_expiration: { value: '45' as unknown as number, editable: true }, self_registration: { value: 'yes' as unknown as boolean, editable: true } });
    expect(form.token_expiration).toBe(45);
    expect(form.self_registration).toBe(configDefaults.self_registration);
  });

  it('marks keys the server does not let the portal change', () => {
    expect([...lockedKeys(response)]).toEqual(['project_creation_restriction']);
  });

  it('sends nothing when nothing changed', () => {
    const initial = formOf(response);
    expect(changedConfigurations(initial, { ...initial })).toEqual({});
  });

  it('sends only the changed keys, each with the type Configurations wants', () => {
    const initial = formOf(response);
    const body = changedConfigurations(initial, {
      ...initial,
      self_registration: true,
      project_creation_restriction: 'adminonly',
      token_expiration: '60',
      robot_token_duration: 90,
      ldap_scope: 2,
    });
    expect(body).toEqual({ self_registration: true, project_creation_restriction: 'adminonly', token_expiration: 60, ldap_scope: 2 });
    expect(typeof body.token_expiration).toBe('number');
  });

  it('sends the search password only when one is typed', () => {
    const initial = formOf(response);
    expect(changedConfigurations(initial, { ...initial, ldap_search_password: '' })).not.toHaveProperty('ldap_search_password');
    expect(changedConfigurations(initial, { ...initial, ldap_search_password: 's3cret' })).toEqual({ ldap_search_password: 's3cret' });
  });

  it('leaves out an emptied number field and trims the URL', () => {
    const initial = formOf(response);
    expect(changedConfigurations(initial, { ...initial, token_expiration: null, ldap_url: ' ldap://dir.example:389 ' })).toEqual({});
    expect(changedConfigurations(initial, { ...initial, ldap_url: 'ldaps://other:636 ' })).toEqual({ ldap_url: 'ldaps://other:636' });
  });

  it('tests the connection with the form\'s values, timeout as ldap_connection_timeout, password only when typed', () => {
    const form = formOf(response);
    expect(ldapConfOf({ ...form, ldap_url: 'ldap://127.0.0.1:1' })).toEqual({
      ldap_url: 'ldap://127.0.0.1:1',
      ldap_search_dn: 'cn=admin,dc=example',
      ldap_base_dn: 'ou=people,dc=example',
      ldap_filter: '(objectClass=person)',
      ldap_uid: 'uid',
      ldap_scope: 1,
      ldap_connection_timeout: 7,
      ldap_verify_cert: false,
    });
    expect(ldapConfOf({ ...form, ldap_search_password: 'typed' }).ldap_search_password).toBe('typed');
    expect(ldapConfOf({ ...form, ldap_uid: ' ' })).not.toHaveProperty('ldap_uid');
  });

  it('says a search password is stored when the server marks it, else when a search DN is set', () => {
    expect(searchPasswordSet({ ldap_search_password: { value: '********', editable: true } } as ConfigurationsResponse)).toBe(true);
    expect(searchPasswordSet({ ldap_search_password: { value: '', editable: true }, ldap_search_dn: { value: 'cn=x', editable: true } } as ConfigurationsResponse)).toBe(false);
    expect(searchPasswordSet(response)).toBe(true);
    expect(searchPasswordSet({})).toBe(false);
  });
});
