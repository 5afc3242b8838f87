/**
 * The path a request "really" names, for deciding where it may go.
 *
 * Upstreams and the libraries in front of them disagree on how much they
 * normalise (Express matches case-insensitively, some stacks decode `%2F` or
 * treat `\` as `/`, http-proxy itself merges `//`), so the route decision is
 * taken on the most normalised form any of them could reach: percent-decoded
 * until stable, backslashes as slashes, `;params` and control characters
 * dropped, dot segments resolved, slashes merged. The request is still
 * forwarded with its own path; this form only decides.
 */

const maxDecodeRounds = 4;

/** Pathname of a request target in origin form (`/a?b`) or absolute form (`http://h/a?b`). */
export function pathOf(target: string): string {
  let rest = target;
  if (!rest.startsWith('/')) {
    // Absolute form (RFC 9112 3.2.2): only the path counts.
    const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(rest);
    rest = scheme ? rest.slice(scheme[0].length) : `/${rest}`;
  }
  const end = rest.search(/[?#]/);
  return end >= 0 ? rest.slice(0, end) : rest;
}

/** Decodes `%XX` byte by byte (malformed escapes stay as they are), repeatedly, so `%256e` ends as `n`. */
export function decodeFully(path: string): string {
  let current = path;
  for (let round = 0; round < maxDecodeRounds; round += 1) {
    const next = current.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    if (next === current) return current;
    current = next;
  }
  return current;
}

/** Canonical, case-preserving form of a request target's path. Always starts with `/`. */
export function canonicalPath(target: string): string {
  const decoded = decodeFully(pathOf(target))
    .replace(/\\/g, '/')
    .replace(/[\u0000-\u0020\u007f]/g, '');
  const out: string[] = [];
  for (const raw of decoded.split('/')) {
    const segment = raw.split(';')[0];
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      out.pop();
      continue;
    }
    out.push(segment);
  }
  return `/${out.join('/')}`;
}
