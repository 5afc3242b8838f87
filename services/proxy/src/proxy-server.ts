import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import httpProxy from 'http-proxy';
import type { ProxyConfig } from '@harbor/config';
import { blobOffloadRequestHeader, stripBlobOffloadHeaders, stripUploadOffloadHeaders } from '@harbor/http';
import type { Logger } from '@harbor/logging';
import { answerBlob, isBlobPath } from './blob-answer';
import { BlobFiles } from './blob-files';
import { describeClientConnection } from './client-connection';
import { prepareUpstreamHeaders } from './forwarded-headers';
import { notFound, sendError, upstreamFailure } from './proxy-error';
import { hasNoBody, relay } from './relay';
import { decideRoute, type Route } from './route-table';
import { UploadFiles } from './upload-files';
import { carriesUploadBody, handOverUpload } from './upload-hand-over';
import { UploadHashing } from './upload-hashing';
import { unwritableAnswer, unwritableAnswerError } from './upstream-answer';
import { upstreamAgent } from './upstream-agents';

/** How long an idle client connection stays open: longer than any common client keeps one. */
export const clientKeepAliveMs = 95_000;

/** Idle timeout for everything that is not /v2 (API, token, portal): long enough for a slow query, short enough to free a stuck socket. */
export const coreTimeoutSeconds = 300;

const clientGraceMs = 15_000;

interface Upstream {
  name: 'registry' | 'core';
  target: string;
  /** `target`, parsed once. */
  url: URL;
  agent: http.Agent;
  timeoutMs: number;
}

/** What the proxy knows about one exchange while it is in flight. */
interface Exchange {
  requestId: string;
  route: Route;
  envelope: 'oci' | 'harbor';
  upstream?: Upstream;
  upstreamRequest?: ClientRequest;
  upstreamTimedOut: boolean;
  clientGone: boolean;
  /** The registry was asked to hand a blob's bytes over; the proxy writes the answer itself. */
  offload: boolean;
  bytesOut: number;
  started: bigint;
}

export interface ProxyServer {
  server: http.Server;
  /** Drops the upstream keep-alive sockets and stops the upload hashing thread; call after the server has closed. */
  destroyAgents(): void;
}

/**
 * The public entry of the suite: decides per request which upstream serves
 * it, streams both bodies through without buffering (http-proxy pipes them,
 * with back-pressure; body-less GETs and HEADs go through the leaner
 * `relay`), and answers failures itself in the right envelope.
 */
export function createProxyServer(config: ProxyConfig, logger: Logger, handOverSecret: string | null): ProxyServer {
  const upstreams: Record<'registry' | 'core', Upstream> = {
    registry: {
      name: 'registry',
      target: config.upstreams.registry,
      url: new URL(config.upstreams.registry),
      agent: upstreamAgent(config.upstreams.registry),
      timeoutMs: config.registryTimeoutSeconds * 1000,
    },
    core: {
      name: 'core',
      target: config.upstreams.core,
      url: new URL(config.upstreams.core),
      agent: upstreamAgent(config.upstreams.core),
      timeoutMs: coreTimeoutSeconds * 1000,
    },
  };
  const exchanges = new WeakMap<IncomingMessage, Exchange>();
  // The hand-over requests carry the internal secret: without it the registry would not hand anything
  // over, so there are no hand-overs (and an empty value, were one sent, matches nothing there).
  const secret = handOverSecret ?? '';
  const blobFiles = config.blobFiles && handOverSecret ? new BlobFiles(config.blobFiles.rootDirectory) : null;
  const uploadFiles = config.uploadFiles && handOverSecret
    ? new UploadFiles(config.uploadFiles.rootDirectory, {
        pause: { afterRefusals: config.uploadFiles.pauseAfterRefusals, ms: config.uploadFiles.pauseSeconds * 1000 },
        directSlots: config.uploadFiles.directWrites ? undefined : 0,
      })
    : null;
  const uploadHashing = uploadFiles ? new UploadHashing(uploadFiles.sharedMemory) : null;
  const proxy = httpProxy.createProxyServer({ xfwd: false, changeOrigin: false, ws: false });

  /** The upstream request of an exchange exists (relayed or through http-proxy). */
  const onUpstreamRequest = (upstreamRequest: ClientRequest, req: IncomingMessage): void => {
    const exchange = exchanges.get(req);
    if (!exchange) return;
    exchange.upstreamRequest = upstreamRequest;
    // The client may have left between the routing decision and the socket.
    if (exchange.clientGone) upstreamRequest.destroy();
    upstreamRequest.on('timeout', () => {
      exchange.upstreamTimedOut = true;
    });
  };

  /** The upstream answered; `true` when the answer is written here (a blob hand-over) instead of relayed. */
  const onUpstreamResponse = (upstreamResponse: IncomingMessage, req: IncomingMessage, res: ServerResponse): boolean => {
    const exchange = exchanges.get(req);
    const unwritable = unwritableAnswer(upstreamResponse);
    if (unwritable !== null) {
      upstreamResponse.resume();
      // Ending the client's answer here also stops http-proxy, which copies and pipes only an unanswered response.
      if (exchange?.upstream) onProxyError(unwritableAnswerError(unwritable), res, exchange, exchange.upstream, logger);
      else res.destroy();
      return true;
    }
    // An upstream that dies mid-body must not leave the client waiting for the rest.
    upstreamResponse.on('close', () => {
      if (!upstreamResponse.complete) res.destroy();
    });
    if (exchange?.offload && blobFiles) {
      answerBlob({
        upstreamResponse,
        res,
        blobFiles,
        keepAliveSeconds: Math.floor(server.keepAliveTimeout / 1000),
        requestId: exchange.requestId,
        logger,
        onBytes: (n) => (exchange.bytesOut += n),
      }).catch((err: unknown) => {
        // answerBlob handles its own failures; this only keeps a surprise from ending the process.
        logger.error(`blob answer failed: ${(err as Error).message}`, { requestId: exchange.requestId });
        res.destroy();
      });
      return true;
    }
    // The hand-overs' headers are between proxy and registry; none ever reaches a client.
    stripBlobOffloadHeaders(upstreamResponse.headers);
    stripUploadOffloadHeaders(upstreamResponse.headers);
    if (exchange) upstreamResponse.on('data', (chunk: Buffer) => (exchange.bytesOut += chunk.length));
    // Connection management is per hop: the upstream's `Connection`/`Keep-Alive: timeout=65`
    // describe its socket to us, not ours to the client. Both relays copy the upstream's headers
    // just before piping, so they are replaced there (not in the upstream's headers, where the
    // agent reads the hint to retire idle sockets in time).
    res.once('pipe', () => describeClientConnection(res, Math.floor(server.keepAliveTimeout / 1000)));
    return false;
  };

  proxy.on('proxyReq', onUpstreamRequest);
  proxy.on('proxyRes', onUpstreamResponse);

  // http-proxy reports some errors on the emitter instead of the callback; they are handled there.
  proxy.on('error', () => undefined);
  proxy.on('econnreset', () => undefined);

  const handle = (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean): void => {
    const decision = decideRoute(req.url ?? '/');
    const requestId = prepareUpstreamHeaders(req);
    // Only the proxy may ask for a hand-over, whatever a client sends.
    stripBlobOffloadHeaders(req.headers);
    stripUploadOffloadHeaders(req.headers);
    const offload = blobFiles !== null && decision.route === 'registry' && req.method === 'GET' && isBlobPath(decision.path) && blobFiles.ready();
    if (offload) req.headers[blobOffloadRequestHeader] = secret;
    const exchange: Exchange = {
      requestId,
      route: decision.route,
      envelope: decision.envelope,
      upstreamTimedOut: false,
      clientGone: false,
      offload,
      bytesOut: 0,
      started: process.hrtime.bigint(),
    };
    exchanges.set(req, exchange);
    res.setHeader('X-Request-Id', exchange.requestId);
    res.on('error', () => undefined);
    res.on('close', () => {
      if (!res.writableFinished) {
        // The client went away: tear down the upstream exchange too, so a
        // cancelled push or pull stops costing the upstream anything.
        exchange.clientGone = true;
        exchange.upstreamRequest?.destroy();
      }
      logAccess(logger, req, res, exchange);
    });

    if (decision.route === 'hidden') {
      // Answered without a 100 Continue: the client never sends the body.
      sendError(res, notFound(), 'harbor', exchange.requestId);
      return;
    }
    const upstream = upstreams[decision.route];
    exchange.upstream = upstream;
    if (uploadFiles !== null && decision.route === 'registry' && carriesUploadBody(req, decision.path, config.uploadFiles!.minBytes) && uploadFiles.usable()) {
      // The upload's bytes go into the registry's file from here; 100 Continue waits for the registry's offer.
      handOverUpload({
        req,
        res,
        expectsContinue,
        upstream,
        clientTimeoutMs: upstream.timeoutMs + clientGraceMs,
        uploadFiles,
        hashing: uploadHashing,
        secret,
        keepAliveSeconds: Math.floor(server.keepAliveTimeout / 1000),
        requestId,
        logger,
        onBytes: (n) => (exchange.bytesOut += n),
      });
      return;
    }
    // The route is known and the upstream will read the body: let the client send it.
    if (expectsContinue) res.writeContinue();
    if (hasNoBody(req)) {
      // The client's idle limit is a little longer than the upstream's, so a silent upstream gets a 504, not a cut socket.
      req.socket.setTimeout(upstream.timeoutMs + clientGraceMs);
      relay(req, res, upstream, {
        onUpstreamRequest: (upstreamRequest) => onUpstreamRequest(upstreamRequest, req),
        onUpstreamResponse: (upstreamResponse) => onUpstreamResponse(upstreamResponse, req, res),
        onError: (err) => onProxyError(err, res, exchange, upstream, logger),
      });
      return;
    }
    try {
      proxy.web(
        req,
        res,
        // The client's idle limit is a little longer than the upstream's, so a silent upstream gets a 504, not a cut socket.
        {
          target: upstream.target,
          agent: upstream.agent,
          proxyTimeout: upstream.timeoutMs,
          timeout: upstream.timeoutMs + clientGraceMs,
          // A blob GET's answer is written by answerBlob: the bytes of a hand-over, or the registry's answer relayed.
          selfHandleResponse: offload,
        },
        (err: Error) => onProxyError(err as NodeJS.ErrnoException, res, exchange, upstream, logger),
      );
    } catch (err) {
      // http.request throws synchronously on a request it cannot write (for example an unusable path).
      onProxyError(err as NodeJS.ErrnoException, res, exchange, upstream, logger);
    }
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => handle(req, res, false);
  // With ui_url_protocol = https the proxy terminates TLS itself; upstreams stay plain HTTP.
  const server: http.Server = config.tls
    ? https.createServer({ cert: readFileSync(config.tls.certPath), key: readFileSync(config.tls.keyPath) }, onRequest)
    : http.createServer(onRequest);
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => handle(req, res, true));
  // No deadline on a whole request: a multi-GB layer over a slow link takes as long as it takes.
  // Idle sockets are cut by the per-route timeouts instead.
  server.requestTimeout = 0;
  // Idle client connections outlive the clients' own idle limit (Go's, used by docker, is 90 s
  // and ignores Keep-Alive hints), so the client always closes first. With Node's default 5 s a
  // PATCH or PUT sent after a pause could land on a socket the proxy had just closed, and
  // clients do not retry those. The header deadline stays above it, as Node requires.
  server.keepAliveTimeout = clientKeepAliveMs;
  server.headersTimeout = clientKeepAliveMs + 5_000;
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (socket.writable && !socket.destroyed) {
      const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    } else {
      socket.destroy();
    }
  });

  return {
    server,
    destroyAgents: () => {
      upstreams.registry.agent.destroy();
      upstreams.core.agent.destroy();
      void uploadHashing?.close();
    },
  };
}

function onProxyError(err: NodeJS.ErrnoException, res: ServerResponse, exchange: Exchange, upstream: Upstream, logger: Logger): void {
  if (exchange.clientGone || res.destroyed) return;
  const failure = upstreamFailure(upstream.name, err, exchange.upstreamTimedOut);
  logger.warning(`upstream ${upstream.name} failed: ${err.code ?? err.message}`, { requestId: exchange.requestId, status: failure.status });
  sendError(res, failure, exchange.envelope, exchange.requestId);
}

function logAccess(logger: Logger, req: IncomingMessage, res: ServerResponse, exchange: Exchange): void {
  const ms = Number(process.hrtime.bigint() - exchange.started) / 1e6;
  const path = (req.url ?? '').split('?')[0].slice(0, 512);
  // 499 (nginx's "client closed request") when the client left before the answer was complete.
  const status = res.writableFinished ? res.statusCode : 499;
  logger.info(`${req.method ?? '-'} ${path} ${status}`, {
    requestId: exchange.requestId,
    upstream: exchange.upstream?.name ?? exchange.route,
    ms: Math.round(ms * 10) / 10,
    bytes: exchange.bytesOut,
  });
}
