/**
 * Syslog severities (RFC 5424 table 2) as winston levels, plus the npm-style
 * names winston's `Logger` type promises (`warn`, `http`, `verbose`, `silly`),
 * so whatever method a service calls exists and maps to a real severity.
 * (winston's own `config.syslog.levels` has no `warn`: `logger.warn` would be
 * undefined and a `warn` threshold would silence everything.)
 */
export const levels = {
  emerg: 0,
  alert: 1,
  crit: 2,
  error: 3,
  warning: 4,
  warn: 4,
  notice: 5,
  info: 6,
  http: 7,
  verbose: 7,
  debug: 7,
  silly: 7,
} as const;

export type LevelName = keyof typeof levels;

/** The syslog severity (0-7) of a winston level; unknown levels count as notice. */
export function severityOf(level: string): number {
  const value = (levels as Record<string, number>)[level];
  return value === undefined ? 5 : value;
}
