/**
 * What a client said it can read, from its `Accept` headers. A client that
 * sent none, or a wildcard, takes anything; otherwise only the listed media
 * types (parameters are ignored, `q=0` means "not this one").
 */
export interface AcceptedTypes {
  any: boolean;
  types: ReadonlySet<string>;
}

export function parseAccept(headers: string | readonly string[] | undefined): AcceptedTypes {
  const values = headers === undefined ? [] : typeof headers === 'string' ? [headers] : headers;
  const types = new Set<string>();
  let any = false;
  let seen = false;
  for (const value of values) {
    for (const entry of value.split(',')) {
      const [rawType, ...params] = entry.split(';');
      const type = rawType!.trim().toLowerCase();
      if (!/^[a-z0-9!#$&^_.+*-]+\/[a-z0-9!#$&^_.+*-]+$/.test(type)) continue;
      seen = true;
      const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p)).find((m) => m !== null);
      if (q && Number(q[1]) === 0) continue;
      if (type === '*/*' || type.endsWith('/*')) any = true;
      else types.add(type);
    }
  }
  return { any: any || !seen, types };
}

export function accepts(accepted: AcceptedTypes, mediaType: string): boolean {
  return accepted.any || accepted.types.has(mediaType.toLowerCase());
}
