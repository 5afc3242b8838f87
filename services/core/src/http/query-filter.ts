import { AppError } from '@harbor/errors';

export interface QueryTerm {
  key: string;
  value: string;
  fuzzy: boolean;
}

/**
 * Harbor's `q` parameter, the part of it this service supports: exact
 * (`k=v`) and fuzzy (`k=~v`) terms joined by commas, only on the keys the
 * endpoint allows. Ranges and lists are refused with 400 rather than ignored,
 * so a caller never mistakes an unfiltered list for a filtered one.
 */
export function parseQueryFilter(q: string | undefined, allowedKeys: readonly string[]): QueryTerm[] {
  if (q === undefined || q.trim() === '') return [];
  const terms: QueryTerm[] = [];
  for (const raw of q.split(',')) {
    const part = raw.trim();
    const eq = part.indexOf('=');
    if (eq <= 0) throw new AppError('BAD_REQUEST', `invalid query term ${JSON.stringify(part)}: expected key=value or key=~value`);
    const key = part.slice(0, eq).trim();
    let value = part.slice(eq + 1);
    const fuzzy = value.startsWith('~');
    if (fuzzy) value = value.slice(1);
    if (!allowedKeys.includes(key)) {
      throw new AppError('BAD_REQUEST', `query key ${JSON.stringify(key)} is not supported here; use one of ${allowedKeys.join(', ')}`);
    }
    if (/^[[({]/.test(value)) throw new AppError('BAD_REQUEST', `range and list queries are not supported for ${key}`);
    terms.push({ key, value: unquote(value), fuzzy });
  }
  return terms;
}

function unquote(value: string): string {
  const m = /^(["'])(.*)\1$/.exec(value);
  return m ? m[2]! : value;
}

/** `sort=field,-field` over the keys the endpoint allows. */
export function parseSort<K extends string>(sort: string | undefined, allowedKeys: readonly K[]): Array<{ key: K; descending: boolean }> {
  if (sort === undefined || sort.trim() === '') return [];
  return sort.split(',').map((raw) => {
    const part = raw.trim();
    const descending = part.startsWith('-');
    const key = (descending ? part.slice(1) : part) as K;
    if (!allowedKeys.includes(key)) throw new AppError('BAD_REQUEST', `cannot sort by ${JSON.stringify(key)}; use one of ${allowedKeys.join(', ')}`);
    return { key, descending };
  });
}
