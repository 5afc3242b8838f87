import { defaultPriority, parsePriority, SyslogMessage, trimTrailer } from './syslog-message';

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `Mmm dd hh:mm:ss`, day space- or zero-padded, with the optional year and fraction some senders add. */
const bsdTimestamp = /^([A-Z][a-z]{2}) {1,2}(\d{1,2})(?: (\d{4}))? (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?: |$)/;
/** rsyslog's forward format puts an RFC 3339 timestamp where the BSD one would be. */
const isoTimestamp = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2}))(?: |$)/;
/** `tag:`, `tag[pid]:` (a tag is a word without spaces, brackets or colons). */
const tagOnly = /^([^\s[\]:]+)(?:\[([^\]\s]*)\])?:(?: |$)/;
const hostThenTag = /^([^\s[\]]+) ([^\s[\]:]+)(?:\[([^\]\s]*)\])?:(?: |$)/;
const hostOnly = /^([A-Za-z0-9][A-Za-z0-9._:%-]*) /;

/**
 * Parses the BSD syslog format, `<PRI>Mmm dd hh:mm:ss HOST TAG[PID]: MSG`,
 * and the loose variants real senders produce: no hostname (what `logger`
 * writes to /dev/log), an RFC 3339 timestamp (rsyslog's forward format), a
 * year or fraction in the timestamp, no timestamp at all, no tag.
 *
 * Never fails: text without a valid PRI is, as RFC 3164 4.3.3 says, all
 * message, with priority user.notice and no app name.
 */
export function parseRfc3164(text: string, now: Date = new Date()): SyslogMessage {
  const pri = parsePriority(text);
  const base = {
    facility: (pri ? pri.facility : defaultPriority >> 3),
    severity: (pri ? pri.severity : defaultPriority & 7),
    timestamp: null as Date | null,
    hostname: null as string | null,
    appName: null as string | null,
    procId: null as string | null,
    msgId: null,
    structuredData: [],
  };
  if (!pri) return { ...base, message: trimTrailer(text) };

  let rest = pri.rest;
  const stamp = readTimestamp(rest, now);
  if (stamp) {
    base.timestamp = stamp.date;
    rest = stamp.rest;
  }

  let match = tagOnly.exec(rest);
  if (match) {
    base.appName = match[1];
    base.procId = match[2] || null;
    rest = rest.slice(match[0].length);
  } else if ((match = hostThenTag.exec(rest))) {
    base.hostname = match[1];
    base.appName = match[2];
    base.procId = match[3] || null;
    rest = rest.slice(match[0].length);
  } else if (stamp && (match = hostOnly.exec(rest))) {
    // A timestamp, then a host, then a message without a tag.
    base.hostname = match[1];
    rest = rest.slice(match[0].length);
  }
  return { ...base, message: trimTrailer(rest) };
}

function readTimestamp(text: string, now: Date): { date: Date | null; rest: string } | null {
  const iso = isoTimestamp.exec(text);
  if (iso) {
    const date = new Date(iso[1]);
    return { date: Number.isNaN(date.getTime()) ? null : date, rest: text.slice(iso[0].length) };
  }
  const bsd = bsdTimestamp.exec(text);
  if (!bsd) return null;
  const month = months.indexOf(bsd[1]);
  if (month < 0) return null;
  const [day, year, hour, minute, second] = [bsd[2], bsd[3], bsd[4], bsd[5], bsd[6]].map((v) => (v === undefined ? NaN : Number(v)));
  const millis = bsd[7] ? Math.floor(Number(`0.${bsd[7]}`) * 1000) : 0;
  const rest = text.slice(bsd[0].length);
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return { date: null, rest };
  // BSD timestamps carry no year and no zone: local time of this year,
  // unless that lands in the future (December lines read in January).
  let fullYear = Number.isNaN(year) ? now.getFullYear() : year;
  let date = new Date(fullYear, month, day, hour, minute, Math.min(second, 59), millis);
  if (Number.isNaN(year) && date.getTime() > now.getTime() + 24 * 3600 * 1000) {
    fullYear -= 1;
    date = new Date(fullYear, month, day, hour, minute, Math.min(second, 59), millis);
  }
  if (date.getMonth() !== month || date.getDate() !== day) return { date: null, rest };
  return { date, rest };
}
