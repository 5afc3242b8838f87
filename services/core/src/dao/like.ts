/** Escapes LIKE wildcards so a fuzzy filter matches what the caller typed, literally. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
