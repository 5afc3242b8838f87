import type { ServerResponse } from 'node:http';

/**
 * Connection management is per hop: an upstream's `Connection` and
 * `Keep-Alive: timeout=65` describe its socket to the proxy, not the proxy's
 * to the client. This says what the client's own connection does.
 */
export function describeClientConnection(res: ServerResponse, keepAliveSeconds: number): void {
  const keepAlive = res.shouldKeepAlive;
  res.setHeader('Connection', keepAlive ? 'keep-alive' : 'close');
  if (keepAlive && keepAliveSeconds > 0) res.setHeader('Keep-Alive', `timeout=${keepAliveSeconds}`);
  else res.removeHeader('keep-alive');
}
