import { parsePriority, SdElement, SyslogMessage, trimTrailer } from './syslog-message';

const nil = '-';
/** FULL-DATE "T" FULL-TIME from RFC 5424 6.2.3 (RFC 3339 with at most 6 fraction digits). */
const timestampPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;
const sdNamePattern = /^[^\s="\]]{1,32}$/;

/**
 * Parses `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [MSG]`.
 *
 * Returns null when the text is not RFC 5424 at all (no PRI, no version 1,
 * header fields missing), so the caller can try the older format. Within a
 * recognisable header it is lenient the way real receivers are: a timestamp
 * that is not a valid date becomes null (the receive time is used), over-long
 * fields are kept (the file name is sanitised later), and malformed structured
 * data is kept as part of the message rather than dropping the line.
 */
export function parseRfc5424(text: string): SyslogMessage | null {
  const pri = parsePriority(text);
  if (!pri) return null;
  const header = /^1 (\S+) (\S+) (\S+) (\S+) (\S+) ?/.exec(pri.rest);
  if (!header) return null;
  const [whole, timestamp, hostname, appName, procId, msgId] = header as unknown as string[];
  let rest = pri.rest.slice(whole.length);
  let structuredData: SdElement[] = [];
  if (rest.startsWith(nil) && (rest.length === 1 || rest[1] === ' ')) {
    rest = rest.slice(2);
  } else if (rest.startsWith('[')) {
    const sd = parseStructuredData(rest);
    if (sd) {
      structuredData = sd.elements;
      rest = sd.rest.startsWith(' ') ? sd.rest.slice(1) : sd.rest;
    }
  }
  return {
    facility: pri.facility,
    severity: pri.severity,
    timestamp: parseTimestamp(timestamp),
    hostname: nilToNull(hostname),
    appName: nilToNull(appName),
    procId: nilToNull(procId),
    msgId: nilToNull(msgId),
    structuredData,
    message: trimTrailer(rest.replace(/^\uFEFF/, '')),
  };
}

function nilToNull(field: string): string | null {
  return field === nil ? null : field;
}

function parseTimestamp(field: string): Date | null {
  if (field === nil || !timestampPattern.test(field)) return null;
  const date = new Date(field);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Reads one or more `[SD-ID param="value" …]` elements from the start of
 * `text`. Inside a value, `\"`, `\\` and `\]` are escapes; a backslash before
 * anything else is kept as is (RFC 5424 6.3.3). Returns null if the elements
 * are malformed.
 */
export function parseStructuredData(text: string): { elements: SdElement[]; rest: string } | null {
  const elements: SdElement[] = [];
  let i = 0;
  while (text[i] === '[') {
    i += 1;
    const idEnd = scanName(text, i);
    const id = text.slice(i, idEnd);
    if (!sdNamePattern.test(id)) return null;
    i = idEnd;
    const params: Array<[string, string]> = [];
    while (text[i] === ' ') {
      i += 1;
      const nameEnd = scanName(text, i);
      const name = text.slice(i, nameEnd);
      if (!sdNamePattern.test(name) || text[nameEnd] !== '=' || text[nameEnd + 1] !== '"') return null;
      i = nameEnd + 2;
      let value = '';
      for (;;) {
        if (i >= text.length) return null;
        const c = text[i];
        if (c === '"') break;
        if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\' || text[i + 1] === ']')) {
          value += text[i + 1];
          i += 2;
        } else {
          value += c;
          i += 1;
        }
      }
      i += 1;
      params.push([name, value]);
    }
    if (text[i] !== ']') return null;
    i += 1;
    elements.push({ id, params });
  }
  return { elements, rest: text.slice(i) };
}

function scanName(text: string, from: number): number {
  let i = from;
  while (i < text.length && !' ="]'.includes(text[i])) i += 1;
  return i;
}

/** Writes structured data back in its RFC 5424 form (escaping `"`, `\`, `]`). */
export function formatStructuredData(elements: SdElement[]): string {
  return elements
    .map((e) => `[${e.id}${e.params.map(([n, v]) => ` ${n}="${v.replace(/(["\\\]])/g, '\\$1')}"`).join('')}]`)
    .join('');
}
