import http from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import net from 'node:net';

/** One answer as a client saw it, with every informational (1xx) answer before it. */
export interface Exchange {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  informational: Array<{ status: number; headers: IncomingHttpHeaders }>;
}

export interface ExchangeOptions {
  headers?: Record<string, string>;
  /**
   * The request body: one buffer is sent with its Content-Length; an array is
   * sent piece by piece with Transfer-Encoding: chunked (no length). None: an
   * empty body with Content-Length: 0 (nothing for GET and HEAD).
   */
  body?: Buffer | Buffer[];
  /** Send `Expect: 100-continue` and hold the body until the server says 100. */
  expectContinue?: boolean;
  timeoutMs?: number;
}

/**
 * One HTTP/1.1 request on its own connection (no pooling, so concurrent
 * requests really are concurrent and a refused one cannot spoil the next),
 * answering the whole response. Bodies that fetch cannot send (chunked
 * pieces, a body held until 100 Continue) and the 1xx answers fetch hides
 * are why this exists.
 */
export function exchange(url: string, method: string, options: ExchangeOptions = {}): Promise<Exchange> {
  const { body, expectContinue = false, timeoutMs = 120_000 } = options;
  const headers: Record<string, string> = { ...options.headers };
  if (Buffer.isBuffer(body)) headers['content-length'] = String(body.length);
  else if (body === undefined && method !== 'GET' && method !== 'HEAD') headers['content-length'] = '0';
  if (expectContinue) headers.expect = '100-continue';
  return new Promise((resolve, reject) => {
    const informational: Exchange['informational'] = [];
    const req = http.request(url, { method, headers, agent: false });
    const sendBody = () => {
      if (Array.isArray(body)) {
        for (const piece of body) req.write(piece);
        req.end();
      } else {
        req.end(body);
      }
    };
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${url}: no answer within ${timeoutMs} ms`)));
    req.on('information', (info) => informational.push({ status: info.statusCode, headers: info.headers }));
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks), informational }));
    });
    if (expectContinue) {
      req.on('continue', sendBody);
      req.flushHeaders();
    } else {
      sendBody();
    }
  });
}

/** Everything a server sent on one raw connection, as text, with its status lines in order. */
export interface RawExchange {
  text: string;
  statusLines: string[];
}

/**
 * Writes `head` and `body` to a fresh TCP connection, byte for byte as given
 * (no client library to tidy anything up), and reads until the final answer
 * is complete (by its Content-Length) or the server closes. Informational
 * answers before it are kept, so a test can see every status line a client
 * would.
 */
export function rawExchange(port: number, head: string, body: Buffer = Buffer.alloc(0), timeoutMs = 60_000): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      socket.destroy();
      const text = received.toString('latin1');
      resolve({ text, statusLines: text.split('\r\n').filter((line) => /^HTTP\/1\.[01] \d{3}/.test(line)) });
    };
    socket.setTimeout(timeoutMs, () => {
      done = true;
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms; got: ${received.toString('latin1').slice(0, 500)}`));
    });
    socket.on('error', (err) => (received.length > 0 ? finish() : reject(err)));
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (finalAnswerComplete(received)) finish();
    });
    socket.write(head);
    if (body.length > 0) socket.write(body);
  });
}

/** Whether the bytes hold a complete non-1xx answer with a Content-Length (what proxies and registries send for small bodies). */
function finalAnswerComplete(bytes: Buffer): boolean {
  let at = 0;
  for (;;) {
    const headEnd = bytes.indexOf('\r\n\r\n', at);
    if (headEnd === -1) return false;
    const head = bytes.subarray(at, headEnd).toString('latin1');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
    if (status >= 100 && status < 200) {
      at = headEnd + 4;
      continue;
    }
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
    return length !== undefined && bytes.length >= headEnd + 4 + Number(length);
  }
}
