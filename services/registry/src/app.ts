import express, { Express, NextFunction, Request, Response } from 'express';
import { AppError } from '@harbor/errors';
import { accessLog, errorRenderer, requestId } from '@harbor/http';
import type { RegistryLimits } from '@harbor/config';
import type { Logger } from '@harbor/logging';
import type { ChallengeOptions } from './auth/access';
import type { TokenVerifier } from './auth/token-verifier';
import type { EventNotifier } from './events/event-notifier';
import type { PullCounter } from './events/pull-counter';
import { baseHandler } from './handlers/base.handler';
import { blobUploadHandlers } from './handlers/blob-upload.handler';
import { blobHandlers } from './handlers/blob.handler';
import { healthHandler, HealthChecks } from './handlers/health.handler';
import { internalRepositoryRouter } from './handlers/internal-repository.handler';
import { listingHandlers } from './handlers/listing.handler';
import { manifestHandlers } from './handlers/manifest.handler';
import { purgeHandler } from './handlers/purge.handler';
import { referrersHandler } from './handlers/referrers.handler';
import { V2FastPathListener, withV2FastPath } from './http/v2-fast-path';
import { access, EndpointTable, v2Dispatcher, v2Router } from './http/v2.router';
import type { BlobUploads } from './services/blob-uploads.service';
import type { Blobs } from './services/blobs.service';
import type { Listing } from './services/listing.service';
import type { Manifests } from './services/manifests.service';
import type { Referrers } from './services/referrers.service';

export interface AppDeps {
  logger: Logger;
  tokens: TokenVerifier;
  challenge: ChallengeOptions;
  internalSecret: string;
  blobs: Blobs;
  uploads: BlobUploads;
  manifests: Manifests;
  referrers: Referrers;
  listing: Listing;
  notifier: EventNotifier;
  pulls: PullCounter;
  health: HealthChecks;
  limits: RegistryLimits;
}

export interface RegistryHttp {
  /** The whole HTTP surface as an Express app. */
  app: Express;
  /** What the server runs: the app, with manifest GET/HEAD and tags/list taken by the /v2 fast path. */
  listener: V2FastPathListener;
}

/** The registry's HTTP surface: /v2 for clients, /health and /internal for the suite. */
export function createApp(deps: AppDeps): Express {
  return createRegistryHttp(deps).app;
}

export function createRegistryHttp(deps: AppDeps): RegistryHttp {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  const apiVersion = (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
    next();
  };
  const ids = requestId();
  app.use(apiVersion);
  app.use(ids);
  // The proxy logs every request with the same request id; the registry's own line is for debugging.
  app.use(accessLog(deps.logger, 'debug'));

  app.get('/health', healthHandler(deps.health));
  app.post('/internal/uploads/purge', express.json({ limit: '16kb' }), purgeHandler(deps.internalSecret, deps.uploads));
  app.use('/internal/repositories', internalRepositoryRouter(deps.internalSecret, deps.health.db));

  const blob = blobHandlers(deps.blobs, deps.internalSecret);
  const upload = blobUploadHandlers(deps.uploads, deps.blobs, { chunkMinBytes: deps.limits.chunkMinBytes, handOverSecret: deps.internalSecret });
  const manifest = manifestHandlers({ ...deps, maxManifestBytes: deps.limits.maxManifestBytes });
  const listing = listingHandlers(deps.listing);
  const endpoints: EndpointTable = {
    base: { GET: { access: access.anyToken, handler: baseHandler }, HEAD: { access: access.anyToken, handler: baseHandler } },
    catalog: { GET: { access: access.catalog, handler: listing.catalog } },
    tags: { GET: { access: access.pull, handler: listing.tags } },
    manifest: {
      GET: { access: access.pull, handler: manifest.get },
      HEAD: { access: access.pull, handler: manifest.head },
      PUT: { access: access.push, handler: manifest.put },
      DELETE: { access: access.delete, handler: manifest.delete },
    },
    blob: {
      GET: { access: access.pull, handler: blob.get },
      HEAD: { access: access.pull, handler: blob.head },
      DELETE: { access: access.delete, handler: blob.delete },
    },
    referrers: { GET: { access: access.pull, handler: referrersHandler(deps.referrers) } },
    uploads: { POST: { access: access.push, handler: upload.start } },
    upload: {
      GET: { access: access.push, handler: upload.status },
      PATCH: { access: access.push, handler: upload.patch },
      PUT: { access: access.push, handler: upload.finish },
      DELETE: { access: access.push, handler: upload.cancel },
    },
  };
  const v2 = { endpoints, tokens: deps.tokens, challenge: deps.challenge };
  app.use('/v2', v2Router(v2));

  app.use((_req: Request, _res: Response, next: NextFunction) => {
    next(new AppError('NOT_FOUND', 'not found'));
  });
  const renderError = errorRenderer((req) => (req.originalUrl.startsWith('/v2') ? 'oci' : 'harbor'), deps.logger);
  app.use(renderError);

  const listener = withV2FastPath({ app, dispatch: v2Dispatcher(v2), before: [apiVersion, ids], renderError, logger: deps.logger });
  return { app, listener };
}
