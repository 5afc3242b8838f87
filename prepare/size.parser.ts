const units: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/**
 * Harbor's size notation for `log_rotate_size`: a whole number with an
 * optional K, M or G suffix (binary units, case-insensitive; a trailing B is
 * allowed: `200M`, `200MB`, `1g`). No suffix means bytes. Returns null when
 * the text is not a size.
 */
export function parseSize(text: string): number | null {
  const match = /^(\d+)\s*([KMG]?)B?$/i.exec(text.trim());
  if (!match) return null;
  const bytes = Number(match[1]) * units[match[2].toUpperCase()];
  return Number.isSafeInteger(bytes) ? bytes : null;
}
