import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import {
  announcedUploadLength,
  asksForUploadOffload,
  readUploadReports,
  uploadOfferHeaders,
  uploadOfferStatus,
  type UploadReport,
} from '@harbor/http';
import type { DigestAlgorithm } from '@harbor/oci';

/**
 * The registry's side of the upload hand-over (`upload-offload` in
 * @harbor/http) for one request: once the upload steps have checked
 * everything they can before a byte arrives, they either offer the proxy the
 * upload's file (and then read its reports instead of bytes) or ask for the
 * bytes in the request body as usual.
 */
export interface UploadHandOver {
  /** The client's Content-Length as the proxy passed it on (null: chunked; 'invalid': unreadable). */
  readonly clientLength: number | null | 'invalid';
  /** Offers the file (`hash`: the digest the proxy may vouch for); the proxy's reports follow, the final one last. */
  offerFile(file: string, offset: number, limit: number | null, hash: DigestAlgorithm | null): AsyncGenerator<UploadReport>;
  /** Asks for the bytes in the request body; answers that body. */
  offerBody(): Readable;
}

/** The hand-over a request asks for with the internal secret, or null for an ordinary upload request. */
export function uploadHandOverOf(req: IncomingMessage, res: ServerResponse, secret: string): UploadHandOver | null {
  if (!asksForUploadOffload(req.headers, secret)) return null;
  return {
    clientLength: announcedUploadLength(req.headers),
    offerFile(file, offset, limit, hash) {
      sendOffer(res, uploadOfferHeaders({ mode: 'file', file, offset, limit, hash }));
      return readUploadReports(req);
    },
    offerBody() {
      sendOffer(res, uploadOfferHeaders({ mode: 'body' }));
      return req;
    },
  };
}

/**
 * Writes the 103 straight to the socket: Node's only 1xx-with-headers API
 * (writeEarlyHints) insists on a Link header. Safe because nothing of the
 * final answer has been written yet, which is checked.
 */
function sendOffer(res: ServerResponse, headers: Record<string, string>): void {
  if (res.headersSent || !res.socket || res.socket.destroyed) throw new Error('upload offer after the answer began');
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  res.socket.write(`HTTP/1.1 ${uploadOfferStatus} Early Hints\r\n${lines.join('')}\r\n`);
}
