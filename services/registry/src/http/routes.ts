/**
 * The /v2 URL space (OCI distribution spec, "endpoints"). Names may contain
 * slashes, so each route is recognised by its fixed tail and the name is
 * whatever comes before it; names are validated afterwards, so a path that is
 * shaped right but carries a bad name is NAME_INVALID rather than "no route".
 */
export type RouteKind = 'base' | 'catalog' | 'tags' | 'manifest' | 'blob' | 'uploads' | 'upload' | 'referrers';

export interface Route {
  kind: RouteKind;
  /** Repository name, still unvalidated (empty for base and catalog). */
  name: string;
  /** Tag/digest, blob digest, upload uuid or referrers subject, by route. */
  reference: string;
}

const patterns: Array<[RouteKind, RegExp]> = [
  ['tags', /^\/(.+)\/tags\/list$/],
  ['manifest', /^\/(.+)\/manifests\/([^/]+)$/],
  ['uploads', /^\/(.+)\/blobs\/uploads\/?$/],
  ['upload', /^\/(.+)\/blobs\/uploads\/([^/]+)$/],
  ['blob', /^\/(.+)\/blobs\/([^/]+)$/],
  ['referrers', /^\/(.+)\/referrers\/([^/]+)$/],
];

/** `path` is relative to /v2 and still percent-encoded, exactly as received. */
export function matchRoute(path: string): Route | null {
  if (path === '' || path === '/') return { kind: 'base', name: '', reference: '' };
  if (path === '/_catalog') return { kind: 'catalog', name: '', reference: '' };
  for (const [kind, pattern] of patterns) {
    const match = pattern.exec(path);
    if (match) return { kind, name: match[1]!, reference: match[2] ?? '' };
  }
  return null;
}
