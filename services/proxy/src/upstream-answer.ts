import type { IncomingMessage, ServerResponse } from 'node:http';
import { isBlobOffloadHeader, isUploadOffloadHeader } from '@harbor/http';

/** What Node will write in a status line's reason (RFC 9110 5.5: no control characters but tab). */
const unwritable = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * Why an upstream's answer cannot be passed to a client as it is, or null.
 * Node's HTTP client accepts a status below 100 and control characters in
 * the reason phrase, both of which its server then refuses to write,
 * throwing where nothing catches it (inside a pipe): one such answer from an
 * upstream would end the proxy. Such an answer is a broken one, answered as
 * any other (502). Header values need no check: the client's parser already
 * refuses control characters in them.
 */
export function unwritableAnswer(upstreamResponse: IncomingMessage): string | null {
  const status = upstreamResponse.statusCode ?? 0;
  if (status < 100 || status > 999) return `status ${status}`;
  if (unwritable.test(upstreamResponse.statusMessage ?? '')) return 'a control character in the reason phrase';
  return null;
}

/** The error an unwritable answer is reported as: a broken answer (502). */
export function unwritableAnswerError(reason: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`unwritable answer: ${reason}`), { code: 'HPE_UNWRITABLE_ANSWER' });
}

/** Headers of an upstream's answer that describe its socket to the proxy, not the client's connection. */
const perHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'trailer']);

/**
 * Gives the client the upstream's status, reason and end-to-end headers.
 * The per-hop headers and both hand-over families stay between proxy and
 * registry; `except` names headers the caller sets itself. The caller
 * describes the client's own connection, and has refused an answer that
 * `unwritableAnswer` finds fault with.
 */
export function copyAnswerHead(from: IncomingMessage, to: ServerResponse, except: readonly string[] = []): void {
  to.statusCode = from.statusCode ?? 502;
  if (from.statusMessage) to.statusMessage = from.statusMessage;
  for (const [name, value] of Object.entries(from.headers)) {
    if (value === undefined || perHop.has(name) || isBlobOffloadHeader(name) || isUploadOffloadHeader(name) || except.includes(name)) continue;
    to.setHeader(name, value);
  }
}
