/** One page of a list as the API cuts it; the total comes from `X-Total-Count`. */
export interface Page<T> {
  items: T[];
  total: number;
}

export interface PageQuery {
  page: number;
  pageSize: number;
}

/** Reads a list response: the body is the page, the header the total across pages. */
export async function pageOf<T>(res: Response): Promise<Page<T>> {
  const items = (await res.json()) as T[];
  const header = res.headers.get('X-Total-Count');
  return { items, total: header === null ? items.length : Number(header) };
}

/** `page` and `page_size` as Harbor's list endpoints take them, plus any other parameters that are set. */
export function listParams(query: PageQuery, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams({ page: String(query.page), page_size: String(query.pageSize) });
  for (const [name, value] of Object.entries(extra)) if (value !== undefined && value !== '') params.set(name, value);
  return params.toString();
}

/**
 * A search text as one value of Harbor's `q` (`k=~v,k2=v2`), unable to reach
 * past its own term: a comma would start another term, a leading `~` would
 * turn an exact term fuzzy, a leading bracket would read as a range or list,
 * and quotes are taken off by the server. Undefined when nothing is left.
 */
export function qValue(text: string | undefined): string | undefined {
  const value = (text ?? '').replace(/[,"']/g, '').trim().replace(/^[~[({]+/, '').trim();
  return value === '' ? undefined : value;
}

/** One fuzzy `q` term (`key=~value`) for a search text, or undefined when the text holds nothing to search. */
export function fuzzyQ(key: string, text: string | undefined): string | undefined {
  const value = qValue(text);
  return value === undefined ? undefined : `${key}=~${value}`;
}
