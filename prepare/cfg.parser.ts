import type { CfgIssue } from './cfg-issue';

/** One `key = value` line of harbor.cfg. */
export interface CfgEntry {
  key: string;
  value: string;
  line: number;
}

export interface ParsedCfg {
  entries: Map<string, CfgEntry>;
  issues: CfgIssue[];
}

const keyPattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses Harbor's classic `harbor.cfg` syntax: `key = value` lines, `#`
 * comment lines, blank lines, LF or CRLF endings. The value is everything
 * after the first `=`, trimmed, so `=` and `#` may appear inside values
 * (passwords, LDAP filters); a `#` only starts a comment at the start of a
 * line. Quotes are not special: `db_password = "x"` is the three characters
 * `"x"`. Syntax problems and duplicate keys become issues; the parser never
 * throws.
 */
export function parseCfg(text: string): ParsedCfg {
  const entries = new Map<string, CfgEntry>();
  const issues: CfgIssue[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const eq = trimmed.indexOf('=');
    if (eq < 0) {
      issues.push({ key: null, line, message: `expected "key = value", got ${JSON.stringify(trimmed)}` });
      return;
    }
    const key = trimmed.slice(0, eq).trim();
    const value = trimmed.slice(eq + 1).trim();
    if (!keyPattern.test(key)) {
      issues.push({ key: null, line, message: `expected "key = value" with a key of letters, digits and _, got ${JSON.stringify(key)}` });
      return;
    }
    const first = entries.get(key);
    if (first) {
      issues.push({ key, line, message: `duplicate key: already set on line ${first.line}; expected each key once` });
      return;
    }
    entries.set(key, { key, value, line });
  });
  return { entries, issues };
}
