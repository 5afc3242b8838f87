/** Keys of a winston info object that are not extra metadata. */
const ownKeys = new Set(['level', 'message', 'timestamp', 'service']);

/**
 * The text of one event without level or timestamp: the message, then any
 * metadata (request id, error stack …) as compact JSON on the same line —
 * `request done {"requestId":"r1","status":200}`.
 */
export function messageText(info: Record<string, unknown>): string {
  const meta: Record<string, unknown> = {};
  let hasMeta = false;
  for (const key of Object.keys(info)) {
    if (ownKeys.has(key)) continue;
    meta[key] = info[key];
    hasMeta = true;
  }
  const message = typeof info.message === 'string' ? info.message : safeJson(info.message);
  return hasMeta ? `${message} ${safeJson(meta)}` : message;
}

function safeJson(value: unknown): string {
  try {
    const text = JSON.stringify(value, (_k, v: unknown) =>
      v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : typeof v === 'bigint' ? v.toString() : v,
    );
    return text ?? String(value);
  } catch {
    return '"[unserialisable]"';
  }
}
