import { openSync, closeSync, writeSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { formatUploadReport, parseUploadOffer, type UploadOffer, type UploadReport } from '@harbor/http';
import { internalSecret } from './harness';

/** What the stand-in proxy can do once the registry offered the file. */
export interface HandOverActions {
  /** Writes body bytes [from, to) at their place after the offered offset. */
  write(from: number, to: number): void;
  report(report: UploadReport): void;
  /** Cuts the request (a proxy that died) instead of ending it. */
  cut(): void;
}

/** The stand-in's behaviour after an offer; by default it writes the whole body and reports `end`. */
export type HandOverScript = (act: HandOverActions, body: Buffer, offer: Extract<UploadOffer, { mode: 'file' }>) => void;

const honest: HandOverScript = (act, body, offer) => {
  const count = Math.min(body.length, offer.limit ?? Infinity);
  act.write(0, count);
  act.report({ kind: count < body.length ? 'over' : 'end', written: count });
};

export interface HandOverResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  offer: UploadOffer | null;
  /** Informational answers seen, by status. */
  informational: number[];
}

/**
 * A stand-in for the proxy's side of the upload hand-over, speaking the
 * contract of `upload-offload` in @harbor/http to a real registry: it asks
 * for the hand-over, writes the bytes into the offered file itself, and
 * reports as the script says.
 */
export function handOverRequest(
  url: string,
  storageRoot: string,
  method: 'POST' | 'PATCH' | 'PUT',
  path: string,
  headers: Record<string, string>,
  body: Buffer,
  script: HandOverScript = honest,
  /** False for a client that sent its body chunked, without a length. */
  announceLength = true,
): Promise<HandOverResult> {
  const target = new URL(path, url);
  return new Promise((resolve, reject) => {
    const informational: number[] = [];
    let offer: UploadOffer | null = null;
    let cut = false;
    const req = request(
      target,
      {
        method,
        headers: {
          ...headers,
          // Only the proxy, holding the internal secret, may ask for the hand-over.
          'X-Harbor-Upload-Offload': internalSecret,
          ...(announceLength ? { 'X-Harbor-Upload-Length': String(body.length) } : {}),
          'Transfer-Encoding': 'chunked',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          // A refusal before any offer leaves our body open: this exchange is over.
          if (!req.writableEnded) req.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString(), offer, informational });
        });
        res.on('error', reject);
      },
    );
    req.on('error', (err) => (cut ? undefined : reject(err)));
    req.on('information', (info) => {
      informational.push(info.statusCode);
      offer = parseUploadOffer(info.headers);
      if (!offer) return;
      if (offer.mode === 'body') {
        req.end(body);
        return;
      }
      const fileOffer = offer;
      script(
        {
          write(from, to) {
            const fd = openSync(join(storageRoot, fileOffer.file), 'r+');
            try {
              writeSync(fd, body, from, to - from, fileOffer.offset + from);
            } finally {
              closeSync(fd);
            }
          },
          report: (report) => req.write(formatUploadReport(report)),
          cut() {
            cut = true;
            setTimeout(() => req.destroy(), 50);
            setTimeout(() => resolve({ status: 0, headers: {}, body: '', offer, informational }), 300);
          },
        },
        body,
        fileOffer,
      );
      if (!cut) req.end();
    });
    req.flushHeaders();
  });
}
