import { isIP } from 'node:net';
import type { Request } from 'express';

/**
 * The address a request really came from, for login throttling.
 *
 * Core sits behind Harbor-TS's proxy, which appends the address it saw to
 * `X-Forwarded-For`. That header is believed only when the socket peer is a
 * proxy we trust: loopback (native installs, proxy and core on one host) or
 * a private network address (the compose network). Then the right-most entry
 * is taken: it is the one our proxy wrote; entries to its left came from the
 * client and could be anything. From any other peer the header is ignored
 * and the peer itself is the source, so a client talking to core directly
 * cannot dodge the per-address count by inventing addresses.
 */
export function clientAddress(req: Request): string {
  const peer = normalize(req.socket.remoteAddress ?? '');
  if (peer !== '' && isTrustedProxy(peer)) {
    const forwarded = req.header('x-forwarded-for');
    const last = forwarded
      ?.split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .pop();
    if (last !== undefined && isIP(normalize(last)) !== 0) return normalize(last);
  }
  return peer === '' ? 'unknown' : peer;
}

/** `::ffff:10.0.0.1` → `10.0.0.1`, so one client is one key whatever the socket family. */
function normalize(address: string): string {
  const lower = address.toLowerCase();
  return lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4 ? lower.slice(7) : lower;
}

export function isTrustedProxy(address: string): boolean {
  if (isIP(address) === 4) {
    const [a, b] = address.split('.').map(Number) as [number, number];
    return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  if (isIP(address) === 6) return address === '::1' || /^f[cd][0-9a-f]{2}:/.test(address);
  return false;
}
