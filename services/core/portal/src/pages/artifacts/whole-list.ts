import type { UrlPage } from '../../components/use-url-page';

/**
 * An ApiTable list over a document the API answers whole (an artifact's
 * layers, build history, platforms): one page holding every row, as the
 * server sent them. Nothing is paged in the browser; there is one page.
 */
export function wholeList<T>(items: T[] | null, loading: boolean, error: unknown, reload: () => void): UrlPage<T> {
  return {
    page: 1,
    pageSize: Math.max(items?.length ?? 0, 1),
    search: '',
    data: items ? { items, total: items.length } : null,
    loading,
    error,
    reload,
    show: () => undefined,
    refine: () => undefined,
  };
}
