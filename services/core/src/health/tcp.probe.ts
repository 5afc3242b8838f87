import { connect } from 'node:net';
import type { HealthProbe } from './health-probe';

/** Healthy when a TCP connection opens (the log collector's syslog port). */
export function tcpProbe(name: string, host: string, port: number): HealthProbe {
  return {
    name,
    check(signal) {
      return new Promise((resolve, reject) => {
        const socket = connect({ host, port });
        const done = (err?: Error) => {
          signal.removeEventListener('abort', onAbort);
          socket.destroy();
          if (err) reject(err);
          else resolve();
        };
        const onAbort = () => done(new Error('timed out'));
        signal.addEventListener('abort', onAbort);
        socket.once('connect', () => done());
        socket.once('error', (err) => done(err));
      });
    },
  };
}
