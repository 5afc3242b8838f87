import { parseRfc3164 } from './rfc3164.parser';
import { parseRfc5424 } from './rfc5424.parser';
import { SyslogMessage } from './syslog-message';

const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * One received message, whatever its format: RFC 5424 when it says so
 * (`<PRI>1 `), otherwise RFC 3164 and its loose variants. Bytes that are not
 * UTF-8 become U+FFFD; nothing makes this throw.
 */
export function parseSyslog(raw: Buffer | string, now: Date = new Date()): SyslogMessage {
  const text = typeof raw === 'string' ? raw : decoder.decode(raw);
  return parseRfc5424(text) ?? parseRfc3164(text, now);
}
