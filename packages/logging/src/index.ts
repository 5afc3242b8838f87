export * from './create-logger';
export { levels, severityOf } from './levels';
export type { LevelName } from './levels';
export { messageText } from './message-text';
export { SyslogTransport, formatRfc5424 } from './syslog.transport';
export type { SyslogTransportOptions, OutgoingMessage } from './syslog.transport';
