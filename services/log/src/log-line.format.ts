import { formatStructuredData } from './rfc5424.parser';
import { severityNames, SyslogMessage } from './syslog-message';

/** Identifies where a message came from when the message itself does not say. */
export interface Receipt {
  receivedAt: Date;
  /** The sender's address, used when the message carries no hostname. */
  peer: string;
}

/**
 * `timeQuality` (RFC 5424 7.1) describes the sender's clock, not the event;
 * `logger` adds it to every line, so it is left out of the file.
 */
const omittedSdIds = new Set(['timeQuality']);

/**
 * One line of `<app>.log`:
 * `<ISO timestamp> <host> <app>[<procid>]: <severity> [<structured data> ]<message>`.
 * The app part is `<app>:` when there is no procid. Everything that comes
 * from the sender is escaped so a message can never forge a second line.
 */
export function formatLogLine(message: SyslogMessage, appStem: string, receipt: Receipt): string {
  const time = (message.timestamp ?? receipt.receivedAt).toISOString();
  const host = token(message.hostname ?? receipt.peer);
  const proc = message.procId ? `[${token(message.procId)}]` : '';
  const sd = message.structuredData.filter((e) => !omittedSdIds.has(e.id));
  const prefix = [message.msgId ? `msgid=${token(message.msgId)}` : '', sd.length > 0 ? escapeText(formatStructuredData(sd)) : '']
    .filter(Boolean)
    .join(' ');
  const body = escapeText(message.message);
  const text = prefix ? (body ? `${prefix} ${body}` : prefix) : body;
  return `${time} ${host} ${appStem}${proc}: ${severityNames[message.severity]} ${text}\n`;
}

/** A header field in the line: no spaces or control characters. */
function token(value: string): string {
  return escapeText(value).replace(/ /g, '_') || '-';
}

/**
 * Control characters become visible escapes (`\n`, `\r`, `\t`, `\xHH`), as do
 * the Unicode line and paragraph separators and NEL, which some viewers treat
 * as line breaks.
 */
export function escapeText(text: string): string {
  return text.replace(/[\x00-\x1f\x7f\u0085\u2028\u2029]/g, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default: {
        const code = c.charCodeAt(0);
        return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
      }
    }
  });
}
