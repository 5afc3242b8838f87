import { pipeline } from 'node:stream/promises';
import { AppError, fail } from '@harbor/errors';
import { asksForBlobOffload, blobHandOverHeaders } from '@harbor/http';
import { mediaTypes, parseDigest, ParsedDigest } from '@harbor/oci';
import type { V2Handler } from '../http/v2-context';
import type { Blobs } from '../services/blobs.service';
import { parseRangeHeader } from '../support/byte-ranges';
import { isClientAbort } from '../support/streams';

/** `handOverSecret`: only a GET carrying the internal secret gets the blob hand-over. */
export function blobHandlers(blobs: Blobs, handOverSecret: string): { get: V2Handler; head: V2Handler; delete: V2Handler } {
  /**
   * HEAD and GET share the headers; GET streams the bytes (a single Range
   * gives 206), or hands them over to the proxy when it asks for that (see
   * `blob-offload` in @harbor/http). The blob's headers are set only once the
   * answer is a success, so an error never goes out as a cacheable octet-stream.
   */
  const read =
    (withBody: boolean): V2Handler =>
    async ({ req, res, name, reference }) => {
      const digest = blobDigest(reference);
      const blob = await blobs.stat(name, digest);
      const describe = (status: number) => {
        res.status(status);
        res.setHeader('Docker-Content-Digest', digest.digest);
        res.setHeader('Content-Type', mediaTypes.octetStream);
        res.setHeader('Accept-Ranges', 'bytes');
        res.setHeader('ETag', `"${digest.digest}"`);
        // Content-addressed bytes never change.
        res.setHeader('Cache-Control', 'max-age=31536000');
      };
      if (!withBody) {
        describe(200);
        res.setHeader('Content-Length', blob.size);
        res.end();
        return;
      }
      // A driver with its own URLs (s3 with redirect on) serves the bytes itself.
      const redirect = await blobs.redirectUrl(digest);
      if (redirect) {
        describe(307);
        return void res.redirect(307, redirect);
      }
      const range = parseRangeHeader(req.header('range'), blob.size);
      if (range === 'unsatisfiable') {
        throw new AppError('RANGE_INVALID', 'requested range not satisfiable', undefined, {
          headers: { 'Content-Range': `bytes */${blob.size}` },
        });
      }
      const start = range?.start ?? 0;
      const length = range ? range.end - range.start + 1 : blob.size;
      const describeRange = () => {
        describe(range ? 206 : 200);
        if (range) res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${blob.size}`);
      };
      if (asksForBlobOffload(req.headers, handOverSecret)) {
        // The proxy reads the storage root itself: say where the bytes are and send none.
        const local = await blobs.localFile(digest);
        if (local && local.size === blob.size) {
          describeRange();
          for (const [header, value] of Object.entries(blobHandOverHeaders({ file: local.relativePath, offset: start, length }))) {
            res.setHeader(header, value);
          }
          res.setHeader('Content-Length', 0);
          res.end();
          return;
        }
      }
      const stream = await blobs.open(digest, start, length);
      describeRange();
      res.setHeader('Content-Length', length);
      try {
        await pipeline(stream, res);
      } catch (err) {
        // A client that stops reading is not a server fault; anything else is.
        if (!isClientAbort(err)) throw err;
      }
    };

  return {
    get: read(true),
    head: read(false),
    /** Unlinks the blob from this repository; bytes are left for garbage collection. */
    delete: async ({ res, name, reference }) => {
      const digest = blobDigest(reference);
      await blobs.delete(name, digest);
      res.setHeader('Docker-Content-Digest', digest.digest);
      res.setHeader('Content-Length', 0);
      res.status(202).end();
    },
  };
}

export function blobDigest(reference: string): ParsedDigest {
  const digest = parseDigest(reference);
  if (!digest) throw fail('DIGEST_INVALID', 'invalid or unsupported digest', { digest: reference });
  return digest;
}
