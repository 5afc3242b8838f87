import { parseDN } from 'ldapjs';

/**
 * Building LDAP filters and comparing DNs safely. Everything a caller types
 * (a login name, a group name) goes into a filter only through
 * `escapeFilterValue`, so `*)(uid=*` is a name, never a filter.
 */

/** RFC 4515 §3: `*`, `(`, `)`, `\` and NUL as `\XX`, every other character as itself. */
export function escapeFilterValue(value: string): string {
  let out = '';
  for (const ch of value) {
    if (ch === '*' || ch === '(' || ch === ')' || ch === '\\' || ch === '\0') {
      out += `\\${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    } else {
      out += ch;
    }
  }
  return out;
}

/**
 * A configured filter as a parenthesised filter: Harbor accepts
 * `objectClass=person` as well as `(objectClass=person)`; empty means none.
 */
export function wrapFilter(filter: string): string {
  const trimmed = filter.trim();
  if (trimmed === '') return '';
  return trimmed.startsWith('(') ? trimmed : `(${trimmed})`;
}

/** `(&<filter>(<attribute>=<escaped value>))`, or the equality alone when there is no filter. */
export function equalityFilter(filter: string, attribute: string, value: string): string {
  const equality = `(${attribute}=${escapeFilterValue(value)})`;
  const extra = wrapFilter(filter);
  return extra === '' ? equality : `(&${extra}${equality})`;
}

/** Like `equalityFilter` with a substring match (`*value*`), for searches. Empty value matches everything. */
export function substringFilter(filter: string, attribute: string, value: string): string {
  const match = value === '' ? `(${attribute}=*)` : `(${attribute}=*${escapeFilterValue(value)}*)`;
  const extra = wrapFilter(filter);
  return extra === '' ? match : `(&${extra}${match})`;
}

/**
 * One spelling per DN: parsed, printed without optional spaces and
 * lower-cased (the attributes groups are named by compare case-insensitively).
 * Null when the text is not a DN.
 */
export function normalizeDn(dn: string): string | null {
  const trimmed = dn.trim();
  if (trimmed === '') return null;
  try {
    return parseDN(trimmed).format({ skipSpace: true }).toLowerCase();
  } catch {
    return null;
  }
}
