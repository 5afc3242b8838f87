/**
 * A family of internal headers sharing a prefix (`x-harbor-blob-`,
 * `x-harbor-upload-`): the proxy drops every member a client sends and never
 * answers one to a client, so only proxy and registry speak them.
 */
export interface HeaderFamily {
  /** True for every header name of the family, in any case. */
  has(name: string): boolean;
  /** Deletes every member from a header record, in place. */
  strip(headers: Record<string, unknown>): void;
}

export function headerFamily(prefix: string): HeaderFamily {
  const lower = prefix.toLowerCase();
  const has = (name: string) => name.toLowerCase().startsWith(lower);
  return {
    has,
    strip(headers) {
      for (const name of Object.keys(headers)) {
        if (has(name)) delete headers[name];
      }
    },
  };
}
