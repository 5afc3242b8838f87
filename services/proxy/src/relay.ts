import http, { type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import https from 'node:https';
import { copyAnswerHead } from './upstream-answer';

export interface RelayTarget {
  /** The upstream's base URL, parsed once. */
  url: URL;
  agent: http.Agent;
  /** Idle limit on the upstream exchange; past it the request is destroyed with `ETIMEDOUT`. */
  timeoutMs: number;
}

export interface RelayHooks {
  /** The upstream request exists (its socket may not yet). */
  onUpstreamRequest(upstreamRequest: ClientRequest): void;
  /**
   * The upstream's answer arrived. Return `true` to answer the client
   * yourself; otherwise its status and headers are copied and its body piped,
   * so the hook must have refused an answer Node cannot write (see upstream-answer.ts).
   */
  onUpstreamResponse(upstreamResponse: IncomingMessage): boolean;
  /** The exchange failed before an answer (unreachable, timed out, broken answer). */
  onError(err: NodeJS.ErrnoException): void;
}

/**
 * Whether a request has no body: a GET or HEAD announcing none. These are
 * most of a registry's traffic (manifest and tag reads, blob pulls, HEAD
 * checks), and they are relayed by `relay` rather than http-proxy, whose
 * general machinery (per-request passes, URL parsing and joining, listeners
 * for a body that never comes) cost about a third of the proxy's CPU per
 * such request.
 */
export function hasNoBody(req: IncomingMessage): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
}

/**
 * Sends a body-less request upstream with the client's method, path and
 * (already prepared) headers, and relays the answer: status, reason and
 * headers as the upstream gave them, then the body with back-pressure. What
 * http-proxy would do for such a request, minus its generality. The caller's
 * `onError` gets every failure before the answer, with `ETIMEDOUT` for a
 * silent upstream; tearing the upstream request down when the client leaves
 * is the caller's too (it gets the request in `onUpstreamRequest`).
 */
export function relay(req: IncomingMessage, res: ServerResponse, target: RelayTarget, hooks: RelayHooks): void {
  let upstreamRequest: ClientRequest;
  try {
    upstreamRequest = upstreamRequestFor(target, req.method ?? 'GET', req.url ?? '/', req.headers);
  } catch (err) {
    // http.request throws synchronously on a request it cannot write (an unusable path, a bad header).
    hooks.onError(err as NodeJS.ErrnoException);
    return;
  }
  hooks.onUpstreamRequest(upstreamRequest);
  upstreamRequest.setTimeout(target.timeoutMs, () => {
    upstreamRequest.destroy(Object.assign(new Error('upstream went silent'), { code: 'ETIMEDOUT' }));
  });
  upstreamRequest.on('error', (err: NodeJS.ErrnoException) => hooks.onError(err));
  upstreamRequest.on('response', (upstreamResponse: IncomingMessage) => {
    if (hooks.onUpstreamResponse(upstreamResponse)) return;
    if (res.headersSent || res.destroyed) {
      upstreamResponse.resume();
      return;
    }
    copyAnswerHead(upstreamResponse, res);
    upstreamResponse.pipe(res);
  });
  upstreamRequest.end();
}

/**
 * A request to the upstream at `target` for the client's method, path (below
 * the target's own path) and headers, on the upstream's keep-alive agent.
 * Throws, as http.request does, on a request it cannot write.
 */
export function upstreamRequestFor(target: Pick<RelayTarget, 'url' | 'agent'>, method: string, path: string, headers: OutgoingHttpHeaders): ClientRequest {
  const send = target.url.protocol === 'https:' ? https.request : http.request;
  return send({
    protocol: target.url.protocol,
    hostname: target.url.hostname,
    port: target.url.port,
    method,
    path: `${target.url.pathname.replace(/\/$/, '')}${path}`,
    headers,
    agent: target.agent,
  });
}
