/** One structured-data element of an RFC 5424 message: `[id name="value" …]`. */
export interface SdElement {
  id: string;
  params: Array<[name: string, value: string]>;
}

/**
 * A received syslog message, whichever RFC it came in. Fields the sender left
 * out are null; the collector fills them (receive time, sender address,
 * app "unknown") when it files the line.
 */
export interface SyslogMessage {
  facility: number;
  /** 0 (emerg) … 7 (debug), as in RFC 5424 table 2. */
  severity: number;
  timestamp: Date | null;
  hostname: string | null;
  appName: string | null;
  procId: string | null;
  msgId: string | null;
  structuredData: SdElement[];
  message: string;
}

export const severityNames = ['emerg', 'alert', 'crit', 'error', 'warning', 'notice', 'info', 'debug'] as const;

/** RFC 3164 4.3.3: a message without a valid PRI is treated as user.notice. */
export const defaultPriority = 13;

/**
 * Reads `<PRI>` at the start of a message. Returns the priority and where the
 * rest begins, or null when there is no valid PRI (missing, not 1-3 digits,
 * leading zero other than `<0>`, or above 191).
 */
export function parsePriority(text: string): { facility: number; severity: number; rest: string } | null {
  const match = /^<(0|[1-9]\d{0,2})>/.exec(text);
  if (!match) return null;
  const pri = Number(match[1]);
  if (pri > 191) return null;
  return { facility: pri >> 3, severity: pri & 7, rest: text.slice(match[0].length) };
}

/** Strips what senders append to a message (LF, CR LF, trailing NULs). */
export function trimTrailer(text: string): string {
  return text.replace(/[\r\n\0]+$/, '');
}
