import { Exchange, harborContract } from '../support/harbor-contract';

/**
 * The contract checker must be able to fail: hand-made responses that break
 * the swagger in one way each are rejected, and their well-formed twins pass.
 */
describe('the swagger contract checker', () => {
  const contract = harborContract();
  const json = { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'r1' };
  const user = {
    user_id: 3,
    username: 'alice',
    email: 'alice@example.test',
    realname: 'Alice',
    comment: '',
    sysadmin_flag: false,
    admin_role_in_auth: false,
    creation_time: '2026-01-02T03:04:05.000Z',
    update_time: '2026-01-02T03:04:05.000Z',
  };
  const getUser = (body: unknown, status = 200, headers: Record<string, string> = json): Exchange => ({
    method: 'GET',
    url: '/api/v2.0/users/3',
    status,
    headers,
    body: JSON.stringify(body),
  });
  const violations = (exchange: Exchange) => contract.check(exchange).violations;

  it('compiles every response schema of the swagger', () => {
    expect(contract.compileAll()).toBeGreaterThan(200);
  });

  it('accepts a well-formed user and names the operation it matched', () => {
    const result = contract.check(getUser(user));
    expect(result.violations).toEqual([]);
    expect(result.operation).toEqual({ method: 'GET', template: '/users/{user_id}', operationId: 'getUser' });
  });

  it('prefers a literal path over a template: /users/current is getCurrentUserInfo', () => {
    expect(contract.match('GET', '/api/v2.0/users/current').operation?.operationId).toBe('getCurrentUserInfo');
    expect(contract.match('GET', '/api/v2.0/users/current?x=1').operation?.operationId).toBe('getCurrentUserInfo');
  });

  it('rejects a misspelt field', () => {
    const { username, ...rest } = user;
    expect(violations(getUser({ ...rest, user_name: username }))).toEqual([expect.stringContaining('"user_name"')]);
  });

  it('rejects a field of the wrong type', () => {
    expect(violations(getUser({ ...user, user_id: '3' }))).toEqual([expect.stringContaining('/user_id must be integer')]);
    expect(violations(getUser({ ...user, sysadmin_flag: 'false' }))).toEqual([expect.stringContaining('/sysadmin_flag must be boolean')]);
  });

  it('rejects null where the swagger does not say x-nullable, and accepts it where it does', () => {
    expect(violations(getUser({ ...user, email: null }))).toEqual([expect.stringContaining('/email must be string')]);
    const info = { external_url: null, auth_mode: 'db_auth' };
    expect(violations({ method: 'GET', url: '/api/v2.0/systeminfo', status: 200, headers: json, body: JSON.stringify(info) })).toEqual([]);
  });

  it('checks date-time and int64 formats, not the loose ones', () => {
    expect(violations(getUser({ ...user, creation_time: 'yesterday' }))).toEqual([expect.stringContaining('/creation_time must match format "date-time"')]);
    const stats = {
      private_project_count: 1.5,
      private_repo_count: 0,
      public_project_count: 1,
      public_repo_count: 0,
      total_project_count: 2,
      total_repo_count: 0,
      total_storage_consumption: 0,
    };
    expect(violations({ method: 'GET', url: '/api/v2.0/statistics', status: 200, headers: json, body: JSON.stringify(stats) })).not.toEqual([]);
  });

  it('rejects a missing required field', () => {
    // No response schema of Harbor's swagger has `required`; its request definitions do (NewTag needs `name`).
    expect(contract.checkDefinition('NewTag', { name: 'v1' })).toEqual([]);
    expect(contract.checkDefinition('NewTag', {})).toEqual([expect.stringContaining("must have required property 'name'")]);
  });

  it('lets documented maps hold any key, and nothing else', () => {
    // ExtraAttrs is `additionalProperties: {type: object}`: go-swagger's map of interface{}.
    expect(contract.checkDefinition('ExtraAttrs', { architecture: 'amd64', os: 'linux', config: { Cmd: ['x'] } })).toEqual([]);
    expect(contract.checkDefinition('ProjectMetadata', { public: 'true', publik: 'true' })).toEqual([expect.stringContaining('"publik"')]);
  });

  it('rejects a status the operation does not declare', () => {
    expect(violations(getUser({ errors: [{ code: 'CONFLICT', message: 'x' }] }, 409))).toEqual([expect.stringContaining('status 409 is not declared by getUser')]);
  });

  it('rejects an error that is not Harbor’s envelope', () => {
    expect(violations(getUser({ error: 'not found' }, 404))).toEqual([expect.stringContaining('"error"')]);
    expect(violations(getUser({ errors: [{ code: 'NOT_FOUND', message: 'x', detail: 'y' }] }, 404))).toEqual([expect.stringContaining('"detail"')]);
    expect(violations(getUser({ errors: [] }, 404))).toEqual(['error envelope has no errors']);
    expect(violations({ ...getUser({}, 404), body: 'Not Found' })).toEqual([expect.stringContaining('not JSON')]);
  });

  it('checks an error against the body its operation documents, when that is not the envelope', () => {
    const failed = (body: unknown): Exchange => ({ method: 'POST', url: '/api/v2.0/ldap/users/import', status: 404, headers: json, body: JSON.stringify(body) });
    expect(violations(failed([{ uid: 'x', error: 'not found' }]))).toEqual([]);
    expect(violations(failed({ errors: [{ code: 'NOT_FOUND', message: 'x' }] }))).toEqual([expect.stringContaining('must be array')]);
  });

  it('rejects a missing declared header: X-Request-Id, Location, X-Total-Count', () => {
    expect(violations(getUser(user, 200, { 'content-type': 'application/json' }))).toEqual([]);
    const created = (headers: Record<string, string>): Exchange => ({ method: 'POST', url: '/api/v2.0/users', status: 201, headers, body: '' });
    expect(violations(created({ 'x-request-id': 'r', location: '/api/v2.0/users/3' }))).toEqual([]);
    expect(violations(created({ 'x-request-id': 'r' }))).toEqual([expect.stringContaining('Location')]);
    expect(violations(created({ location: '/api/v2.0/users/3' }))).toEqual([expect.stringContaining('X-Request-Id')]);
    const list = (headers: Record<string, string>, url = '/api/v2.0/users'): Exchange => ({ method: 'GET', url, status: 200, headers: { ...json, ...headers }, body: JSON.stringify([user]) });
    expect(violations(list({ 'x-total-count': '1' }))).toEqual([]);
    expect(violations(list({}))).toEqual([expect.stringContaining('X-Total-Count')]);
  });

  it('wants Link exactly when there is another page', () => {
    const list = (url: string, headers: Record<string, string>): Exchange => ({ method: 'GET', url, status: 200, headers: { ...json, ...headers }, body: JSON.stringify([user]) });
    expect(violations(list('/api/v2.0/users?page_size=1', { 'x-total-count': '2' }))).toEqual([expect.stringContaining('next page')]);
    expect(violations(list('/api/v2.0/users?page_size=1', { 'x-total-count': '2', link: '</api/v2.0/users?page=2&page_size=1>; rel="next"' }))).toEqual([]);
    expect(violations(list('/api/v2.0/users?page=2&page_size=1', { 'x-total-count': '2' }))).toEqual([expect.stringContaining('previous page')]);
  });

  it('wants an empty body where the swagger declares none', () => {
    expect(violations({ method: 'DELETE', url: '/api/v2.0/users/3', status: 200, headers: { 'x-request-id': 'r' }, body: '{}' })).toEqual([
      expect.stringContaining('declares no body'),
    ]);
  });

  it('answers 404 for paths outside the swagger and 405 for undeclared methods, in the envelope', () => {
    const envelope = JSON.stringify({ errors: [{ code: 'NOT_FOUND', message: 'not found' }] });
    expect(violations({ method: 'GET', url: '/api/v2.0/nothing/here', status: 404, headers: json, body: envelope })).toEqual([]);
    expect(violations({ method: 'GET', url: '/api/v2.0/nothing/here', status: 200, headers: json, body: '{}' })).not.toEqual([]);
    expect(violations({ method: 'PATCH', url: '/api/v2.0/users/current', status: 405, headers: json, body: envelope })).toEqual([]);
  });

  it('accepts ping’s text body and rejects it as JSON', () => {
    const ping = (type: string): Exchange => ({ method: 'GET', url: '/api/v2.0/ping', status: 200, headers: { 'content-type': type }, body: 'Pong' });
    expect(violations(ping('text/plain; charset=utf-8'))).toEqual([]);
    expect(violations(ping('application/json'))).not.toEqual([]);
  });
});
