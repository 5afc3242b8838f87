import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

const validRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

/** Headers that describe one connection, not the request; never passed on (RFC 9110 7.6.1). */
const hopByHop = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'upgrade', 'expect'];
/** Never dropped even when a client names them in `Connection` (a known trick to strip them before the upstream). */
const endToEnd = new Set(['host', 'content-length', 'transfer-encoding', 'content-type', 'authorization', 'cookie']);

/**
 * Prepares the incoming request's headers for the upstream, in place, and
 * returns the request id.
 *
 * The proxy is the public edge, so it does not trust what a client claims
 * about the forwarding chain: `X-Forwarded-For` is appended to (as nginx's
 * `$proxy_add_x_forwarded_for` does), while Proto, Host and Port describe
 * this hop and overwrite whatever the client sent. The Host header itself is
 * kept, so upstreams see the name the client used. http-proxy's own `xfwd`
 * appends to all four, which would let a client put `https` into Proto.
 */
export function prepareUpstreamHeaders(req: IncomingMessage): string {
  const headers = req.headers;
  const named = typeof headers.connection === 'string' ? headers.connection.split(',') : [];
  for (const name of [...hopByHop, ...named.map((n) => n.trim().toLowerCase())]) {
    if (name && !endToEnd.has(name)) delete headers[name];
  }

  const incomingId = headers['x-request-id'];
  const id = typeof incomingId === 'string' && validRequestId.test(incomingId) ? incomingId : randomUUID();
  headers['x-request-id'] = id;

  const encrypted = Boolean((req.socket as TLSSocket).encrypted);
  const proto = encrypted ? 'https' : 'http';
  const host = headers.host ?? '';
  const remote = req.socket.remoteAddress ?? '';
  const chain = headers['x-forwarded-for'];
  headers['x-forwarded-for'] = typeof chain === 'string' && chain.trim() !== '' ? `${chain}, ${remote}` : remote;
  headers['x-forwarded-proto'] = proto;
  headers['x-forwarded-host'] = host;
  headers['x-forwarded-port'] = portOf(host) ?? (encrypted ? '443' : '80');
  return id;
}

/** The port a Host header names, if any (`h:8080`, `[::1]:8080`). */
function portOf(host: string): string | undefined {
  const match = /:(\d{1,5})$/.exec(host);
  return match ? match[1] : undefined;
}
