/**
 * One problem found in harbor.cfg. `line` is null when the problem is that a
 * key is absent (there is no line to point at).
 */
export interface CfgIssue {
  key: string | null;
  line: number | null;
  message: string;
}

/**
 * Thrown by prepare when harbor.cfg is unusable. It carries every issue found,
 * not just the first, so an operator fixes the file in one pass. The CLI
 * prints `format()` and exits 1 without a stack trace.
 */
export class HarborCfgError extends Error {
  constructor(
    readonly file: string,
    readonly issues: CfgIssue[],
  ) {
    super(formatIssues(file, issues));
    this.name = 'HarborCfgError';
  }
}

/** `harbor.cfg:12: http_port: expected a port number 1-65535, got "http"` — one issue per line. */
export function formatIssues(file: string, issues: CfgIssue[]): string {
  return issues
    .map((i) => {
      const where = i.line === null ? `${file}: ` : `${file}:${i.line}: `;
      const key = i.key === null ? '' : `${i.key}: `;
      return `${where}${key}${i.message}`;
    })
    .join('\n');
}

/** Issues ordered as they appear in the file; absent keys (no line) last. */
export function sortIssues(issues: CfgIssue[]): CfgIssue[] {
  return [...issues].sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
}
