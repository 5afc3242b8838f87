import TransportStream from 'winston-transport';
import { messageText, severityOf } from '@harbor/logging';
import { formatLogLine } from './log-line.format';
import { LogDirectory } from './log-directory';

const LEVEL = Symbol.for('level');

/**
 * The collector's own log: written straight into `<stem>.log` in the log
 * directory, in the same line format as everything it receives (sending it
 * to itself by syslog would go through the network for nothing).
 */
export class StoreTransport extends TransportStream {
  constructor(
    private readonly store: LogDirectory,
    private readonly stem: string,
    private readonly hostname: string,
  ) {
    super();
  }

  override log(info: Record<string | symbol, unknown>, callback: () => void): void {
    setImmediate(() => this.emit('logged', info));
    const now = new Date();
    const line = formatLogLine(
      {
        facility: 16,
        severity: severityOf(String(info[LEVEL] ?? info.level)),
        timestamp: now,
        hostname: this.hostname,
        appName: this.stem,
        procId: String(process.pid),
        msgId: null,
        structuredData: [],
        message: messageText(info as Record<string, unknown>),
      },
      this.stem,
      { receivedAt: now, peer: this.hostname },
    );
    this.store.append(this.stem, line);
    callback();
  }
}
