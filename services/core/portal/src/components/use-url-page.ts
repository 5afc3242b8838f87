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
      setParams(
        (previous) => {
          const merged = new URLSearchParams(previous);
          const nextSearch = next.search ?? search;
          if (nextSearch) merged.set('q', nextSearch);
          else merged.delete('q');
          const nextPage = next.search !== undefined ? 1 : (next.page ?? 1);
          if (nextPage > 1) merged.set('page', String(nextPage));
          else merged.delete('page');
          return merged;
        },
        { replace: false },
      );
    },
    [search, setParams],
  );

  const refine = useCallback(
    (values: Record<string, string | undefined>) => {
      setParams((previous) => {
        const merged = new URLSearchParams(previous);
        for (const [name, value] of Object.entries(values)) {
          if (value) merged.set(name, value);
          else merged.delete(name);
        }
        merged.delete('page');
        return merged;
      });
    },
    [setParams],
  );

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { page, pageSize, search, data, loading, error, reload, show, refine };
}
