import type { Request, Response } from 'express';
import { fail } from '@harbor/errors';
import { parseDigest } from '@harbor/oci';
import { contentLength, hasBody, queryParam, V2Handler } from '../http/v2-context';
import type { Blobs } from '../services/blobs.service';
import type { BlobUploads, Chunk, UploadSession } from '../services/blob-uploads.service';
import { parseContentRange, uploadRange } from '../support/byte-ranges';
import { uploadHandOverOf } from '../support/upload-hand-over';

export interface BlobUploadHandlers {
  start: V2Handler;
  status: V2Handler;
  patch: V2Handler;
  finish: V2Handler;
  cancel: V2Handler;
}

export interface BlobUploadOptions {
  /** Advertised as `OCI-Chunk-Min-Length` when a session starts; 0 sends nothing. */
  chunkMinBytes: number;
  /** The internal secret: only a request carrying it gets the upload hand-over (`upload-offload` in @harbor/http). */
  handOverSecret: string;
}

export function blobUploadHandlers(uploads: BlobUploads, blobs: Blobs, options: BlobUploadOptions): BlobUploadHandlers {
  return {
    /**
     * `POST /v2/<name>/blobs/uploads/`: a cross-repository mount (201) when
     * allowed, a monolithic upload with `?digest=` (201), or a new session (202).
     * A mount without `from` (OCI 1.1 lets the registry look for the blob
     * itself) is a normal upload: searching every repository the caller may
     * pull from would cost more than the client re-sending the blob.
     */
    start: async ({ req, res, name, caller }) => {
      const mount = queryParam(req, 'mount');
      const from = queryParam(req, 'from');
      if (typeof mount === 'string' && typeof from === 'string') {
        const digest = parseDigest(mount);
        const mounted = digest && (await blobs.mount(name, digest, from, caller.access));
        if (mounted) return created(res, name, mounted.digest);
      }
      const digestParam = queryParam(req, 'digest');
      if (digestParam !== undefined) {
        const digest = digestParam === null ? null : parseDigest(digestParam);
        if (!digest) throw fail('DIGEST_INVALID', 'invalid or unsupported digest', { digest: digestParam });
        const blob = await uploads.monolithic(name, digest, chunkOf(req, res, options.handOverSecret));
        return created(res, name, blob.digest);
      }
      const session = await uploads.start(name);
      if (options.chunkMinBytes > 0) res.setHeader('OCI-Chunk-Min-Length', options.chunkMinBytes);
      accepted(res, session, 202);
    },

    /** `GET …/uploads/<uuid>`: where the upload stands, so a client can resume. */
    status: async ({ res, name, reference }) => {
      accepted(res, await uploads.find(name, reference), 204);
    },

    /** `PATCH …/uploads/<uuid>`: one more chunk, which must start where the upload ends. */
    patch: async ({ req, res, name, reference }) => {
      accepted(res, await uploads.append(name, reference, chunkOf(req, res, options.handOverSecret)), 202);
    },

    /** `PUT …/uploads/<uuid>?digest=`: the last chunk (optional), then verify and publish. */
    finish: async ({ req, res, name, reference }) => {
      const digestParam = queryParam(req, 'digest');
      const digest = typeof digestParam === 'string' ? parseDigest(digestParam) : null;
      if (!digest) {
        // Still an upload the caller must own, so an unknown one stays BLOB_UPLOAD_UNKNOWN.
        await uploads.find(name, reference);
        throw fail('DIGEST_INVALID', 'a valid ?digest= is required to finish an upload', { digest: digestParam ?? null });
      }
      const blob = await uploads.finish(name, reference, digest, hasBody(req) ? chunkOf(req, res, options.handOverSecret) : null);
      created(res, name, blob.digest);
    },

    /** `DELETE …/uploads/<uuid>`: abandons the upload and its bytes. */
    cancel: async ({ res, name, reference }) => {
      await uploads.cancel(name, reference);
      res.setHeader('Content-Length', 0);
      res.status(204).end();
    },
  };
}

/** The request's bytes for the upload steps; with the proxy's hand-over, the client's length is in its own header. */
function chunkOf(req: Request, res: Response, handOverSecret: string): Chunk {
  const header = req.header('content-range');
  const handOver = uploadHandOverOf(req, res, handOverSecret);
  const length = handOver ? handOver.clientLength : contentLength(req);
  if (length === 'invalid') throw fail('BLOB_UPLOAD_INVALID', 'unreadable upload length');
  return {
    body: req,
    range: header === undefined ? null : (parseContentRange(header) ?? 'invalid'),
    contentLength: length,
    ...(handOver ? { handOver } : {}),
  };
}

function accepted(res: Response, session: UploadSession, status: 202 | 204): void {
  res.setHeader('Location', `/v2/${session.repositoryName}/blobs/uploads/${session.uuid}`);
  res.setHeader('Range', uploadRange(session.size));
  res.setHeader('Docker-Upload-UUID', session.uuid);
  res.setHeader('Content-Length', 0);
  res.status(status).end();
}

function created(res: Response, name: string, digest: string): void {
  res.setHeader('Location', `/v2/${name}/blobs/${digest}`);
  res.setHeader('Docker-Content-Digest', digest);
  res.setHeader('Content-Length', 0);
  res.status(201).end();
}
