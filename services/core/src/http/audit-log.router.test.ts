import { AppError } from '@harbor/errors';
import { parseAuditQuery } from './audit-log.router';

describe('audit log query', () => {
  it('reads text terms, exact and fuzzy', () => {
    expect(parseAuditQuery('operation=create,resource=~library/,username=alice', undefined)).toEqual({
      operation: { value: 'create', fuzzy: false },
      resource: { value: 'library/', fuzzy: true },
      username: { value: 'alice', fuzzy: false },
    });
  });

  it('reads an op_time range in Harbor\'s portal format as UTC, open at either end', () => {
    expect(parseAuditQuery('op_time=[2024-01-01 00:00:00~2024-12-31 23:59:59]', undefined)).toEqual({
      from: new Date('2024-01-01T00:00:00Z'),
      to: new Date('2024-12-31T23:59:59Z'),
    });
    expect(parseAuditQuery('op_time=[~2024-02-01T00:00:00Z],resource_type=artifact', undefined)).toEqual({
      to: new Date('2024-02-01T00:00:00Z'),
      resourceType: { value: 'artifact', fuzzy: false },
    });
  });

  it('sorts by op_time either way', () => {
    expect(parseAuditQuery(undefined, 'op_time')).toEqual({ descending: false });
    expect(parseAuditQuery(undefined, '-op_time')).toEqual({ descending: true });
  });

  it.each([['op_time=[yesterday~today]'], ['project_id=1'], ['op_time=2024-01-01'], ['username']])('refuses %s', (q) => {
    expect(() => parseAuditQuery(q, undefined)).toThrow(AppError);
  });

  it('refuses unknown sort keys', () => {
    expect(() => parseAuditQuery(undefined, 'username')).toThrow(AppError);
  });
});
