/**
 * Harbor's `registry_storage_provider_config` form: `key: value, key: value`.
 * A value may contain `:` (endpoints such as `http://minio:9000`) because
 * only the first `:` of each item separates; it may not contain `,`.
 * Returns the options, or a message saying what is wrong.
 */
export function parseStorageOptions(text: string): { options: Record<string, string> } | { error: string } {
  const options: Record<string, string> = {};
  const trimmed = text.trim();
  if (trimmed === '') return { options };
  for (const item of trimmed.split(',')) {
    const colon = item.indexOf(':');
    const key = colon < 0 ? '' : item.slice(0, colon).trim();
    const value = colon < 0 ? '' : item.slice(colon + 1).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return { error: `expected "key: value" items separated by commas, got ${JSON.stringify(item.trim())}` };
    if (key in options) return { error: `option ${JSON.stringify(key)} is given twice` };
    options[key] = value;
  }
  return { options };
}
