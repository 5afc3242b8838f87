import type { Request } from 'express';
import { AppError } from '@harbor/errors';
import { isTag, parseAccept } from '@harbor/oci';
import type { EventNotifier } from '../events/event-notifier';
import type { PullCounter } from '../events/pull-counter';
import { requestInfo, V2Context, V2Handler } from '../http/v2-context';
import type { Manifests } from '../services/manifests.service';
import { isClientAbort } from '../support/streams';

export interface ManifestHandlerDeps {
  manifests: Manifests;
  notifier: EventNotifier;
  pulls: PullCounter;
  /** Largest manifest accepted on PUT, in bytes. */
  maxManifestBytes: number;
}

export function manifestHandlers(deps: ManifestHandlerDeps): Record<'get' | 'head' | 'put' | 'delete', V2Handler> {
  const { manifests, notifier, pulls, maxManifestBytes } = deps;

  /** Events go after the response, so core being slow or down never slows the client. */
  const afterResponse = (ctx: V2Context, send: () => void) => ctx.res.once('finish', send);

  /**
   * GET/HEAD answer with the media type the manifest was pushed with, if the
   * client's Accept allows it (see Manifests.get for the negotiation); HEAD
   * runs the same negotiation, so its headers are exactly GET's.
   */
  const read =
    (withBody: boolean): V2Handler =>
    async (ctx) => {
      const { req, res, name, reference } = ctx;
      const manifest = await manifests.get(name, reference, withBody, parseAccept(req.header('accept')));
      res.setHeader('Content-Type', manifest.mediaType);
      res.setHeader('Docker-Content-Digest', manifest.digest);
      res.setHeader('ETag', `"${manifest.digest}"`);
      res.setHeader('Content-Length', manifest.size);
      if (!withBody) {
        res.status(200).end();
        return;
      }
      afterResponse(ctx, () => {
        pulls.count(name);
        notifier.manifestEvent(
          'pull',
          { repository: name, digest: manifest.digest, mediaType: manifest.mediaType, size: manifest.size, tag: isTag(reference) ? reference : null },
          requestInfo(ctx.req, res),
          ctx.caller.subject,
        );
      });
      res.status(200).end(manifest.content);
    };

  return {
    get: read(true),
    head: read(false),

    put: async (ctx) => {
      const { req, res, name, reference } = ctx;
      const content = await readLimited(req, maxManifestBytes);
      const stored = await manifests.put(name, reference, content, req.header('content-type'));
      res.setHeader('Location', `/v2/${name}/manifests/${stored.digest}`);
      res.setHeader('Docker-Content-Digest', stored.digest);
      if (stored.subject) res.setHeader('OCI-Subject', stored.subject);
      res.setHeader('Content-Length', 0);
      afterResponse(ctx, () =>
        notifier.manifestEvent('push', { repository: name, ...stored }, requestInfo(req, res), ctx.caller.subject),
      );
      res.status(201).end();
    },

    delete: async (ctx) => {
      const { req, res, name, reference } = ctx;
      const deleted = await manifests.delete(name, reference);
      afterResponse(ctx, () =>
        notifier.manifestEvent('delete', { repository: name, ...deleted }, requestInfo(req, res), ctx.caller.subject),
      );
      res.setHeader('Content-Length', 0);
      res.status(202).end();
    },
  };
}

/** Reads a small body whole, refusing (413, connection closed) anything over `limit` without reading it all. */
async function readLimited(req: Request, limit: number): Promise<Buffer> {
  const tooLarge = () =>
    new AppError('SIZE_INVALID', `manifest exceeds the ${limit}-byte limit`, undefined, {
      status: 413,
      headers: { Connection: 'close' },
    });
  const declared = req.header('content-length');
  if (declared !== undefined && Number(declared) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of req) {
      total += (chunk as Buffer).length;
      if (total > limit) throw tooLarge();
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    if (isClientAbort(err)) throw new AppError('MANIFEST_INVALID', 'the request body ended early', undefined, { cause: err });
    throw err;
  }
  return Buffer.concat(chunks, total);
}
