import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { Page, PageQuery } from '../api/page';

export interface UrlPage<T> {
  page: number;
  pageSize: number;
  /** The search text, `q` in the URL. */
  search: string;
  data: Page<T> | null;
  loading: boolean;
  error: unknown;
  reload(): void;
  /** Moves to a page or a new search; a new search starts at page 1. */
  show(next: { page?: number; search?: string }): void;
  /** Sets other URL parameters that narrow or order the list (an empty value removes one), back to page 1. */
  refine(values: Record<string, string | undefined>): void;
}

/**
 * A list paged by the API whose page and search live in the URL, so a reload
 * or a shared link shows the same rows. `load` is called again whenever the
 * page, the search or `deps` change.
 */
export function useUrlPage<T>(
  load: (query: PageQuery & { search: string }) => Promise<Page<T>>,
  options: { pageSize?: number; deps?: unknown[] } = {},
): UrlPage<T> {
  const pageSize = options.pageSize ?? 15;
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const search = params.get('q') ?? '';
  const [data, setData] = useState<Page<T> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    setLoading(true);
    load({ page, pageSize, search })
      .then((next) => {
        if (!current) return;
        setData(next);
        setError(null);
      })
      .catch((err: unknown) => {
        if (current) setError(err);
      })
      .finally(() => {
        if (current) setLoading(false);
      });
    return () => {
      current = false;
    };
    // `load` is usually an inline closure: its inputs are listed in deps.
  }, [page, pageSize, search, generation, ...(options.deps ?? [])]);

  const show = useCallback(
    (next: { page?: number; search?: string }) => {
      const merged = latestParams();
      const nextSearch = next.search ?? merged.get('q') ?? '';
      if (nextSearch) merged.set('q', nextSearch);
      else merged.delete('q');
      const nextPage = next.search !== undefined ? 1 : (next.page ?? 1);
      if (nextPage > 1) merged.set('page', String(nextPage));
      else merged.delete('page');
      setParams(merged, { replace: false });
    },
    [setParams],
  );

  const refine = useCallback(
    (values: Record<string, string | undefined>) => {
      const merged = latestParams();
      for (const [name, value] of Object.entries(values)) {
        if (value) merged.set(name, value);
        else merged.delete(name);
      }
      merged.delete('page');
      setParams(merged);
    },
    [setParams],
  );

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { page, pageSize, search, data, loading, error, reload, show, refine };
}

/**
 * The address bar's parameters as they are now. useSearchParams gives those
 * of the last render (its callback form too), so two changes made before the
 * page re-renders (a filter field picked, then a search typed and sent at
 * once) would lose the first; the router has already written it to the
 * address, so each change starts from there.
 */
function latestParams(): URLSearchParams {
  return new URLSearchParams(window.location.search);
}
