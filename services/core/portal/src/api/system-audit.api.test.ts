import { fetchStandIn, jsonAnswer } from './fetch-stand-in';
import { auditQuery, listAuditLogs } from './system-audit.api';

/** The audit-log client against a stand-in `fetch`: the `q` it builds and the page it reads. */
describe('system audit log API client', () => {
  const server = fetchStandIn();
  beforeAll(() => server.install());
  afterAll(() => server.restore());
  beforeEach(() => {
    server.calls.length = 0;
  });

  it('asks for one page, newest first, filtered through q, and reads the total', async () => {
    server.answer = jsonAnswer([{ id: 1, username: 'admin', operation: 'create', resource: 'web', resource_type: 'project', op_time: '2025-01-01T00:00:00Z' }], { total: 120 });
    const page = await listAuditLogs({ page: 3, pageSize: 15, username: 'adm', operation: 'create', resource: '' });
    const url = server.lastUrl();
    expect(url.pathname).toBe('/api/v2.0/audit-logs');
    expect(url.searchParams.get('page')).toBe('3');
    expect(url.searchParams.get('page_size')).toBe('15');
    expect(url.searchParams.get('sort')).toBe('-op_time');
    expect(url.searchParams.get('q')).toBe('username=~adm,operation=create');
    expect(page.total).toBe(120);
    expect(page.items[0]!.resource).toBe('web');
  });

  it('sends no q without a filter', async () => {
    server.answer = jsonAnswer([], { total: 0 });
    await listAuditLogs({ page: 1, pageSize: 15 });
    expect(server.lastUrl().searchParams.has('q')).toBe(false);
  });

  it('matches username and resource by part, the operation exactly, and keeps commas from starting a new term', () => {
    expect(auditQuery({ resource: 'team/app' })).toBe('resource=~team/app');
    expect(auditQuery({ username: ' a,b ', operation: 'delete', resource: 'x' })).toBe('username=~ab,operation=delete,resource=~x');
    expect(auditQuery({ username: '  ' })).toBeUndefined();
    // An exact term stays exact: a leading ~ would make it fuzzy, a bracket a range.
    expect(auditQuery({ operation: '~del' })).toBe('operation=del');
    expect(auditQuery({ operation: '[a~z]' })).toBe('operation=a~z]');
    expect(auditQuery({ resource: '"a/../b",username=~x' })).toBe('resource=~a/../busername=~x');
  });
});
