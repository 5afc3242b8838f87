/**
 * Normalises `redis_url`: a full `redis://[user:pass@]host:port[/db]` (or
 * `rediss://`) URL, or Harbor's short `host:port` / `host:port/db` form,
 * which becomes `redis://host:port/db` (database 0 when absent). Returns null
 * when the text is neither.
 */
export function normaliseRedisUrl(text: string): URL | null {
  const value = text.trim();
  const candidate = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `redis://${value}`;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return null;
  if (url.hostname === '') return null;
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/0';
  if (!/^\/\d+$/.test(url.pathname)) return null;
  if (url.search !== '' || url.hash !== '') return null;
  return url;
}

/** The same URL with its host swapped (compose points loopback at the bundled `redis` service). */
export function withRedisHost(url: URL, host: string): string {
  const copy = new URL(url.href);
  copy.hostname = host;
  return copy.href;
}
