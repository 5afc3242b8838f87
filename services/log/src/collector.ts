import { appFileStem } from './app-file-name';
import { formatLogLine } from './log-line.format';
import { LogDirectory } from './log-directory';
import { parseSyslog } from './syslog.parser';

/**
 * Files received messages: parse (never throws), pick the file by the
 * sanitised app name, format one line, queue it on that file.
 */
export class Collector {
  /** Messages received, and UDP messages dropped because the disk fell too far behind. */
  readonly stats = { received: 0, dropped: 0, truncated: 0 };

  constructor(
    readonly store: LogDirectory,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  receive(raw: Buffer, peer: string, truncated = false): void {
    this.stats.received += 1;
    const receivedAt = this.clock();
    const message = parseSyslog(raw, receivedAt);
    if (truncated) {
      this.stats.truncated += 1;
      message.message += ' [truncated]';
    }
    const stem = appFileStem(message.appName);
    this.store.append(stem, formatLogLine(message, stem, { receivedAt, peer }));
  }
}
