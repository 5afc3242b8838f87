import { AppError } from '@harbor/errors';
import { parseQueryFilter, parseSort } from './query-filter';

describe("Harbor's q parameter", () => {
  it('reads exact and fuzzy terms', () => {
    expect(parseQueryFilter('username=~ali,email=a@b.c', ['username', 'email'])).toEqual([
      { key: 'username', value: 'ali', fuzzy: true },
      { key: 'email', value: 'a@b.c', fuzzy: false },
    ]);
  });

  it.each(['password=x', 'nokey', '=x', 'username=[1~3]', 'username={a b}'])('refuses %j with a 400', (q) => {
    let error: unknown;
    try {
      parseQueryFilter(q, ['username', 'email']);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(400);
  });

  it('reads sort orders and refuses unknown keys', () => {
    expect(parseSort('-creation_time,username', ['username', 'creation_time'])).toEqual([
      { key: 'creation_time', descending: true },
      { key: 'username', descending: false },
    ]);
    expect(() => parseSort('password', ['username'])).toThrow(AppError);
  });
});
