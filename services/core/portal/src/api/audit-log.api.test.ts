import { errorText } from './error-text';
import { auditQ, isAuditField, listProjectLogs } from './audit-log.api';
import { fetchStandIn, jsonAnswer } from './fetch-stand-in';

/** The audit log API client against a stand-in `fetch`: Harbor's `q`, paging, newest first, errors in words. */
describe('portal audit log API client', () => {
  const server = fetchStandIn();
  beforeAll(() => server.install());
  afterAll(() => server.restore());
  beforeEach(() => {
    server.calls.length = 0;
  });

  it('asks for one page of a project\'s log, filtered and newest first, with the total from X-Total-Count', async () => {
    const entry = { id: 9, username: 'admin', resource: 'web/app:1', resource_type: 'artifact', operation: 'create', op_time: '2025-01-01T00:00:00Z' };
    server.answer = jsonAnswer([entry], { total: 31 });
    const page = await listProjectLogs('web', { page: 2, pageSize: 15, filter: { operation: 'create' } });
    const url = server.lastUrl();
    expect(url.pathname).toBe('/api/v2.0/projects/web/logs');
    expect(url.searchParams.get('page')).toBe('2');
    expect(url.searchParams.get('page_size')).toBe('15');
    expect(url.searchParams.get('q')).toBe('operation=~create');
    expect(url.searchParams.get('sort')).toBe('-op_time');
    expect(page).toEqual({ items: [entry], total: 31 });
  });

  it('joins several fields into one q, drops empty ones and commas that would split a term', () => {
    expect(auditQ({ username: 'adm', resource: 'web/app', operation: '' })).toBe('resource=~web/app,username=~adm');
    expect(auditQ({ resource: 'a,b' })).toBe('resource=~ab');
    expect(auditQ({ username: '"~adm,operation=delete' })).toBe('username=~admoperation=delete');
    expect(auditQ({ resource: "'../web%2F'" })).toBe('resource=~../web%2F');
    expect(auditQ({})).toBeUndefined();
    expect(auditQ({ username: '  ' })).toBeUndefined();
  });

  it('sends no q without a filter', async () => {
    server.answer = jsonAnswer([], { total: 0 });
    await listProjectLogs('web', { page: 1, pageSize: 15, filter: { username: '' } });
    expect(server.lastUrl().pathname).toBe('/api/v2.0/projects/web/logs');
    expect(server.lastUrl().searchParams.has('q')).toBe(false);
  });

  it('takes only Harbor\'s audit fields from the URL', () => {
    expect(isAuditField('resource_type')).toBe(true);
    expect(isAuditField('op_time')).toBe(false);
    expect(isAuditField(null)).toBe(false);
  });

  it('shows a refusal in the server\'s words', async () => {
    server.answer = jsonAnswer({ errors: [{ code: 'BAD_REQUEST', message: 'query key "x" is not supported here' }] }, { status: 400 });
    const err = await listProjectLogs('web', { page: 1, pageSize: 15 }).catch((e: unknown) => e);
    expect(errorText(err, (key) => key)).toBe('query key "x" is not supported here');
  });
});
