/** Harbor's `BuildHistoryEntry`: one step of the image's build, as its config records it. */
export interface BuildHistoryEntry {
  created: string;
  created_by: string;
  author?: string;
  comment?: string;
  empty_layer?: boolean;
}

export function parseConfig(bytes: Buffer | Uint8Array): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The config's `history`, keeping only well-formed fields; an image without history has none. */
export function buildHistoryOf(config: Record<string, unknown> | null): BuildHistoryEntry[] {
  const history = config?.history;
  if (!Array.isArray(history)) return [];
  const entries: BuildHistoryEntry[] = [];
  for (const item of history) {
    if (!item || typeof item !== 'object') continue;
    const h = item as Record<string, unknown>;
    const entry: BuildHistoryEntry = {
      created: typeof h.created === 'string' ? h.created : '',
      created_by: typeof h.created_by === 'string' ? h.created_by : '',
    };
    if (typeof h.author === 'string') entry.author = h.author;
    if (typeof h.comment === 'string') entry.comment = h.comment;
    if (typeof h.empty_layer === 'boolean') entry.empty_layer = h.empty_layer;
    entries.push(entry);
  }
  return entries;
}

/** Harbor's `extra_attrs` for an image: what the config says about platform, command and origin. */
export function imageExtraAttrs(config: Record<string, unknown> | null): Record<string, unknown> {
  if (!config) return {};
  const attrs: Record<string, unknown> = {};
  for (const key of ['architecture', 'os', 'config', 'author', 'created'] as const) {
    if (config[key] !== undefined) attrs[key] = config[key];
  }
  return attrs;
}
