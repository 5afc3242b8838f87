/**
 * The stand-in registry and the client of the proxy's upload hand-over
 * tests: the stand-in creates the upload file under a temporary storage
 * root, offers it with a raw `103`, reads the proxy's report lines and
 * answers; the client sends one upload on its own connection.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { isFinalUploadReport, readUploadReports, type UploadReport } from '@harbor/http';
import { handOverSecret, type Seen } from './harness';

const MiB = 1024 * 1024;

/** A shared clock for ordering events across the client, the proxy and the stand-in (all in this process). */
let tick = 0;

/** The shared clock's next reading. */
export function clockTick(): number {
  return tick++;
}

/** What the stand-in registry did with one request, by its `x-test-id`. */
export interface Handled {
  uuid: string;
  reports: UploadReport[];
  reportError?: string;
  offerAt?: number;
  endAt?: number;
  bodyBytes?: number;
  bodySha?: string;
  answered: boolean;
}

/**
 * How the stand-in behaves, from the test's request headers (ordinary
 * headers, so the proxy passes them): `x-test-mode` file (default), body,
 * refuse, die (cut the connection after the first progress line);
 * `x-test-offset` bytes already in the file; `x-test-limit`; `x-test-hash` the digest to ask for; `x-test-offer`
 * raw offer header lines replacing the proper ones; `x-test-uuid` the session.
 */
export function registryStandIn(storage: string, handled: Map<string, Handled>) {
  return (req: http.IncomingMessage, res: http.ServerResponse, seen: Seen): void => {
    const id = String(req.headers['x-test-id'] ?? '');
    const mode = String(req.headers['x-test-mode'] ?? 'file');
    const uuid = String(req.headers['x-test-uuid'] ?? randomUUID());
    const entry: Handled = { uuid, reports: [], answered: false };
    handled.set(id, entry);
    res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
    // One of the family on the final answer: it must not reach the client.
    res.setHeader('X-Harbor-Upload-Debug', 'internal');
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      entry.answered = true;
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (mode === 'unwritable') {
      // A refusal whose status Node's client parses and its server will not write.
      req.resume();
      entry.answered = true;
      res.socket!.end('HTTP/1.1 099 Odd\r\nContent-Length: 2\r\n\r\n{}');
      return;
    }
    if (req.headers['x-harbor-upload-offload'] !== handOverSecret || mode === 'refuse') {
      req.resume();
      answer(401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, { 'WWW-Authenticate': 'Bearer realm="x"' });
      return;
    }
    const offerLines = (lines: string) => {
      entry.offerAt = clockTick();
      res.socket!.write(`HTTP/1.1 103 Early Hints\r\n${lines}\r\n`);
    };
    if (mode === 'body') {
      offerLines('X-Harbor-Upload-Mode: body\r\n');
      const hash = createHash('sha256');
      let bytes = 0;
      req.on('data', (c: Buffer) => {
        bytes += c.length;
        hash.update(c);
      });
      req.on('end', () => {
        entry.bodyBytes = bytes;
        entry.bodySha = hash.digest('hex');
        answer(201, { bytes }, { Location: '/v2/library/app/blobs/sha256:x' });
      });
      return;
    }
    const offset = Number(req.headers['x-test-offset'] ?? 0);
    const file = `uploads/${uuid}/data`;
    if (!req.headers['x-test-uuid']) {
      mkdirSync(join(storage, 'uploads', uuid), { recursive: true });
      writeFileSync(join(storage, file), Buffer.alloc(offset, 0x5a));
    }
    const limit = req.headers['x-test-limit'];
    const hash = req.headers['x-test-hash'];
    const offer = String(req.headers['x-test-offer'] ?? '').replace(/\\r\\n/g, '\r\n');
    offerLines(
      offer ||
        `X-Harbor-Upload-Mode: file\r\nX-Harbor-Upload-File: ${file}\r\nX-Harbor-Upload-Offset: ${offset}\r\n` +
          `${limit ? `X-Harbor-Upload-Limit: ${limit}\r\n` : ''}${hash ? `X-Harbor-Upload-Hash: ${hash}\r\n` : ''}`,
    );
    void (async () => {
      try {
        for await (const report of readUploadReports(req)) {
          entry.reports.push(report);
          if (isFinalUploadReport(report.kind)) entry.endAt = clockTick();
          if (mode === 'die' && report.kind === 'progress') {
            res.socket!.destroy();
            return;
          }
        }
      } catch (err) {
        entry.reportError = (err as Error).message;
        return;
      }
      seen.bodyBytes = entry.reports.at(-1)!.written;
      const last = entry.reports.at(-1)!;
      if (last.kind === 'over') {
        answer(413, { errors: [{ code: 'SIZE_INVALID', message: 'blob too large' }] });
        return;
      }
      answer(202, { reports: entry.reports }, { Location: `/v2/library/app/blobs/uploads/${uuid}`, 'Docker-Upload-UUID': uuid, Range: `0-${offset + last.written - 1}` });
    })();
  };
}

export interface Upload {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** 1xx answers the client saw besides 100 Continue. */
  informational: number[];
  /** When 100 Continue arrived (the shared clock), if it did. */
  continueAt?: number;
  /** The connection was closed by the proxy after the answer. */
  closed: boolean;
  /** The request failed instead of getting an answer. */
  error?: NodeJS.ErrnoException;
}

export interface UploadOptions {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  /** A Buffer goes with its Content-Length; an array or a stream goes chunked. */
  body: Buffer | Buffer[] | Readable;
  expectContinue?: boolean;
  /** Called with the request once the answer or the error is in, or earlier by the test to act mid-body. */
  during?: (req: http.ClientRequest) => void;
  contentLength?: number;
}

/** One upload on its own keep-alive connection, so whether the proxy closed it is visible. */
export function upload(port: number, id: string, options: UploadOptions): Promise<Upload> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const headers: Record<string, string> = { 'x-test-id': id, ...options.headers };
  if (Buffer.isBuffer(options.body)) headers['content-length'] = String(options.body.length);
  if (options.contentLength !== undefined) headers['content-length'] = String(options.contentLength);
  if (options.expectContinue) headers.expect = '100-continue';
  return new Promise((resolve) => {
    const result: Upload = { status: 0, headers: {}, body: '', informational: [], closed: false };
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      agent.destroy();
      resolve(result);
    };
    const req = http.request(
      { host: '127.0.0.1', port, method: options.method ?? 'PATCH', path: options.path ?? '/v2/library/app/blobs/uploads/u1', headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        // Taken now: a kept connection leaves the answer once it is read.
        const socket = res.socket;
        result.status = res.statusCode ?? 0;
        result.headers = res.headers;
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          result.body = Buffer.concat(chunks).toString();
          if (res.headers.connection !== 'close' || socket.destroyed) {
            result.closed = socket.destroyed;
            finish();
            return;
          }
          // Announced: the proxy closes the connection right after the answer.
          socket.once('close', () => {
            result.closed = true;
            finish();
          });
          setTimeout(finish, 5000).unref();
        });
        res.on('error', finish);
        res.on('aborted', finish);
      },
    );
    // Node reports 100 Continue here as well as by 'continue'.
    req.on('information', (info) => {
      if (info.statusCode !== 100) result.informational.push(info.statusCode);
    });
    req.on('error', (err) => {
      result.error ??= err;
      if (result.status === 0) finish();
    });
    const sendBody = () => {
      const body = options.body;
      if (Buffer.isBuffer(body)) req.end(body);
      else if (Array.isArray(body)) Readable.from(body).pipe(req);
      else body.pipe(req);
      options.during?.(req);
    };
    if (options.expectContinue) {
      req.on('continue', () => {
        result.continueAt = clockTick();
        sendBody();
      });
      req.flushHeaders();
    } else {
      sendBody();
    }
  });
}

/** A body that sends these bytes and then neither ends nor sends more: a client in the middle of its upload. */
export function stalling(bytes: Buffer): Readable {
  const stream = new Readable({ read() {} });
  stream.push(bytes);
  return stream;
}

export function expectProgress(reports: UploadReport[], total: number, final: UploadReport['kind'] = 'end'): void {
  const progress = reports.slice(0, -1);
  expect(progress.every((r) => r.kind === 'progress')).toBe(true);
  let last = 0;
  for (const r of progress) {
    expect(r.written - last).toBeGreaterThanOrEqual(4 * MiB);
    last = r.written;
  }
  expect(last).toBeLessThanOrEqual(total);
  expect(reports.at(-1)).toEqual({ kind: final, written: total });
}
