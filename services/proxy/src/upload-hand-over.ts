import type { FileHandle } from 'node:fs/promises';
import http, { type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { AppError } from '@harbor/errors';
import {
  formatUploadReport,
  parseUploadOffer,
  stripUploadOffloadHeaders,
  uploadLengthHeader,
  uploadOfferStatus,
  uploadOffloadRequestHeader,
  type UploadOffer,
  type UploadReport,
} from '@harbor/http';
import type { Logger } from '@harbor/logging';
import { describeClientConnection } from './client-connection';
import { sendError, upstreamFailure } from './proxy-error';
import type { UploadFiles } from './upload-files';
import type { UploadHash, UploadHashing } from './upload-hashing';
import { upstreamRequestFor } from './relay';
import { copyAnswerHead, unwritableAnswer, unwritableAnswerError } from './upstream-answer';
import { writeUploadBody, type UploadWriter } from './upload-writer';

/** `/v2/<name>/blobs/uploads/<ref>` (PATCH, PUT) and `/v2/<name>/blobs/uploads` (POST ?digest=, monolithic), canonical form. */
const uploadSession = /^\/v2\/.+\/blobs\/uploads\/[^/]+$/;
const uploadStart = /^\/v2\/.+\/blobs\/uploads$/;

/**
 * Whether a registry request carries upload bytes worth handing over: a body
 * on an upload session's PATCH or PUT, or on a monolithic POST, either
 * chunked (size unknown) or announced at `minBytes` or more. Below that it
 * goes through the registry as before: the hand-over's extra steps (the
 * offer, opening the file, the report, a stat) cost more than carrying a
 * small body, and small blobs are an image's config and many of its layers.
 * The route and the storage root are the caller's.
 */
export function carriesUploadBody(req: IncomingMessage, canonicalPath: string, minBytes = 1): boolean {
  const target = req.url ?? '';
  // Absolute-form targets are left to http-proxy, which knows how to forward them.
  if (!target.startsWith('/')) return false;
  const method = req.method ?? '';
  // Cheapest tests first: this runs on every registry request (manifest GETs included).
  const upload =
    ((method === 'PATCH' || method === 'PUT') && uploadSession.test(canonicalPath)) ||
    (method === 'POST' && uploadStart.test(canonicalPath) && hasDigestParameter(target));
  if (!upload) return false;
  const length = req.headers['content-length'];
  const encoding = req.headers['transfer-encoding'];
  if (length !== undefined) return /^\d+$/.test(length) && Number(length) >= minBytes;
  return encoding !== undefined && /chunked\s*$/i.test(encoding);
}

function hasDigestParameter(target: string): boolean {
  const query = target.indexOf('?');
  return query !== -1 && new URLSearchParams(target.slice(query + 1)).has('digest');
}

export interface UploadHandOver {
  req: IncomingMessage;
  res: ServerResponse;
  /** The client asked `Expect: 100-continue`; it is answered only once the registry made its offer. */
  expectsContinue: boolean;
  upstream: { url: URL; agent: http.Agent; timeoutMs: number };
  /** Idle limit on the client's socket, a little longer than the upstream's. */
  clientTimeoutMs: number;
  uploadFiles: UploadFiles;
  /** Hashes what is written when the registry asks the proxy to vouch for the digest; null: never vouches. */
  hashing: UploadHashing | null;
  /** The internal secret, the value of the hand-over request header. */
  secret: string;
  keepAliveSeconds: number;
  requestId: string;
  logger: Logger;
  onBytes(n: number): void;
}

/**
 * One upload request with a hand-over (`upload-offload` in @harbor/http):
 * sent to the registry with a held-open chunked body; on the registry's
 * offer the client's body goes either into the upload file (file mode, with
 * report lines on the request body) or into the request body (body mode);
 * the registry's final answer is relayed. Headers must already be prepared
 * (forwarded headers, request id, client hand-over headers dropped).
 */
export function handOverUpload(handOver: UploadHandOver): void {
  new UploadExchange(handOver).start();
}

class UploadExchange {
  private upstreamRequest!: ClientRequest;
  private continueSent = false;
  /** How the registry wants the bytes, once it has offered. */
  private mode: 'file' | 'body' | null = null;
  private writer: UploadWriter | null = null;
  /** The final report was sent, or the request body otherwise closed: nothing more goes upstream. */
  private bodyClosed = false;
  /** The client's answer is decided (relayed or the proxy's own); nothing else may answer. */
  private answered = false;
  /** The registry connection failed or was torn down by the proxy. */
  private upstreamGone = false;
  private upstreamTimedOut = false;
  private clientGone = false;

  constructor(private readonly h: UploadHandOver) {}

  start(): void {
    const { req, res, upstream } = this.h;
    res.on('close', () => {
      if (!res.writableFinished) this.onClientGone();
    });
    try {
      this.upstreamRequest = upstreamRequestFor(upstream, req.method ?? 'POST', req.url ?? '/', this.upstreamHeaders());
    } catch (err) {
      // http.request throws synchronously on a request it cannot write (an unusable path, a bad header).
      this.upstreamGone = true;
      this.answerFailure(err as NodeJS.ErrnoException);
      return;
    }
    const upstreamRequest = this.upstreamRequest;
    upstreamRequest.setTimeout(upstream.timeoutMs, () => {
      this.upstreamTimedOut = true;
      upstreamRequest.destroy(Object.assign(new Error('registry went silent'), { code: 'ETIMEDOUT' }));
    });
    upstreamRequest.on('information', (info: { statusCode: number; headers: http.IncomingHttpHeaders }) => this.onInformation(info));
    upstreamRequest.on('response', (upstreamResponse: IncomingMessage) => this.onResponse(upstreamResponse));
    upstreamRequest.on('error', (err: NodeJS.ErrnoException) => this.onUpstreamError(err));
    req.socket.setTimeout(this.h.clientTimeoutMs);
    // The headers go now: the registry checks the request while the client waits (or sends, into the socket buffers).
    upstreamRequest.flushHeaders();
  }

  private upstreamHeaders(): OutgoingHttpHeaders {
    const { req } = this.h;
    const headers: OutgoingHttpHeaders = { ...req.headers };
    stripUploadOffloadHeaders(headers);
    const length = req.headers['content-length'];
    delete headers['content-length'];
    headers['transfer-encoding'] = 'chunked';
    headers[uploadOffloadRequestHeader] = this.h.secret;
    // Canonical digits: leading zeros are the client's business, not a reason for the registry to refuse.
    if (length !== undefined) headers[uploadLengthHeader] = String(Number(length));
    return headers;
  }

  private onInformation(info: { statusCode: number; headers: http.IncomingHttpHeaders }): void {
    if (info.statusCode !== uploadOfferStatus || this.answered || this.upstreamGone) return;
    let offer: UploadOffer | null;
    try {
      offer = parseUploadOffer(info.headers);
      if (offer && this.mode !== null) throw new Error('a second offer');
    } catch (err) {
      this.refuse(err as Error);
      return;
    }
    if (!offer) return;
    this.mode = offer.mode;
    if (this.clientGone) {
      // Nothing of the body will come: say so (file mode) or drop the request (body mode, as without a hand-over).
      if (offer.mode === 'file') this.closeBody({ kind: 'abort', written: 0 });
      else this.tearDownUpstream();
      return;
    }
    if (offer.mode === 'body') {
      this.letClientSend();
      this.h.req.pipe(this.upstreamRequest);
      return;
    }
    void this.writeToFile(offer);
  }

  private async writeToFile(offer: Extract<UploadOffer, { mode: 'file' }>): Promise<void> {
    const { req, uploadFiles } = this.h;
    let handle: FileHandle;
    try {
      handle = await uploadFiles.open(offer.file, offer.offset);
      uploadFiles.opened();
    } catch (err) {
      if (uploadFiles.refused()) {
        this.h.logger.error('upload hand-over paused: offered upload files keep failing to open; is the proxy\'s storage root the registry\'s?', {
          requestId: this.h.requestId,
        });
      }
      this.refuse(err as Error);
      return;
    }
    let direct: Awaited<ReturnType<UploadFiles['direct']>> = null;
    let hash: UploadHash | null = null;
    try {
      // The registry may have answered or failed while the file was being opened.
      if (this.upstreamGone || this.bodyClosed) return;
      if (this.clientGone) {
        this.closeBody({ kind: 'abort', written: 0 });
        return;
      }
      direct = await uploadFiles.direct(handle);
      hash = await this.startHash(offer);
      if (this.upstreamGone || this.bodyClosed) return;
      // Said first: the registry then need not read these bytes back while they arrive.
      if (hash) this.report({ kind: 'vouching', written: 0 });
      this.letClientSend();
      const progress = (written: number): void => this.report({ kind: 'progress', written });
      this.writer = writeUploadBody(req, handle, offer.offset, offer.limit, progress, { direct, hash });
      const outcome = await this.writer.done;
      // Stopped: the registry is gone or has answered already, and whoever stopped the writer answers the client.
      if (outcome.kind === 'stopped') return;
      if (outcome.kind === 'fail') {
        this.h.logger.error(`upload hand-over could not write: ${outcome.code}`, { requestId: this.h.requestId });
        this.closeBody(outcome);
        return;
      }
      // Only a PATCH can be followed by more of the same upload; a PUT or POST ends it whatever the registry answers.
      const digest = hash ? await hash.end(outcome.written, req.method === 'PATCH') : null;
      hash = null;
      this.closeBody(digest ? { ...outcome, digest } : outcome);
    } finally {
      hash?.drop();
      await direct?.release();
      await handle.close().catch(() => undefined);
    }
  }

  /** The hash to vouch with: when the registry asked, and this proxy saw every byte of the file up to the offset. */
  private async startHash(offer: Extract<UploadOffer, { mode: 'file' }>): Promise<UploadHash | null> {
    if (!offer.hash || !this.h.hashing) return null;
    const hash = await this.h.hashing.begin(offer.file, offer.hash, offer.offset);
    if (hash.canVouch) return hash;
    // Nothing to vouch for at the end: not hashing at all saves the CPU, and the registry reads the file.
    hash.drop();
    return null;
  }

  /** The client may send its body now (100 Continue, when it asked for one). */
  private letClientSend(): void {
    const { res, expectsContinue } = this.h;
    if (!expectsContinue || this.continueSent || res.headersSent || res.destroyed) return;
    this.continueSent = true;
    res.writeContinue();
  }

  private report(line: UploadReport): void {
    if (this.bodyClosed || this.upstreamGone) return;
    this.upstreamRequest.write(formatUploadReport(line));
  }

  /** Ends the request body, with a final report line when one is given. */
  private closeBody(final?: UploadReport): void {
    if (this.bodyClosed || this.upstreamGone) return;
    this.bodyClosed = true;
    // In body mode the pipe may have ended it already.
    if (this.upstreamRequest.writableEnded) return;
    if (final) this.upstreamRequest.end(formatUploadReport(final));
    else this.upstreamRequest.end();
  }

  private tearDownUpstream(): void {
    if (this.upstreamGone) return;
    this.upstreamGone = true;
    this.h.req.unpipe(this.upstreamRequest);
    this.writer?.stop();
    this.upstreamRequest.destroy();
  }

  /** An offer the proxy cannot take: nothing is written, the registry's request is dropped, the client gets a 502. */
  private refuse(err: Error): void {
    this.h.logger.error(`registry's upload hand-over refused: ${err.message}`, { requestId: this.h.requestId });
    this.tearDownUpstream();
    this.answerError(new AppError('INTERNAL_SERVER_ERROR', 'upload could not be stored', undefined, { status: 502, cause: err }));
  }

  private onResponse(upstreamResponse: IncomingMessage): void {
    const { req, res } = this.h;
    // No write starts once the registry has answered: it reads no more of the body.
    this.writer?.stop();
    req.unpipe(this.upstreamRequest);
    this.closeBody();
    if (this.answered || this.clientGone || res.destroyed) {
      upstreamResponse.resume();
      return;
    }
    const unwritable = unwritableAnswer(upstreamResponse);
    if (unwritable !== null) {
      upstreamResponse.resume();
      this.answerFailure(unwritableAnswerError(unwritable));
      return;
    }
    this.answered = true;
    upstreamResponse.on('close', () => {
      // A registry that dies mid-answer must not leave the client waiting for the rest.
      if (!upstreamResponse.complete) res.destroy();
    });
    upstreamResponse.on('error', () => undefined);
    copyAnswerHead(upstreamResponse, res);
    this.describeConnection();
    upstreamResponse.on('data', (chunk: Buffer) => this.h.onBytes(chunk.length));
    upstreamResponse.pipe(res);
  }

  private onUpstreamError(err: NodeJS.ErrnoException): void {
    if (this.upstreamGone) return;
    this.upstreamGone = true;
    // Stop at once: no byte is written for a registry that will not check it.
    this.writer?.stop();
    this.h.req.unpipe(this.upstreamRequest);
    // After the answer started, its own 'close' cuts the client's response.
    if (this.answered || this.clientGone) return;
    // The client hears only once a write in flight has landed, so its retry cannot race it.
    const writing = this.writer?.done;
    if (writing) void writing.then(() => this.answerFailure(err));
    else this.answerFailure(err);
  }

  /**
   * File mode: the writer sees the body break off and reports `abort` (or,
   * while the file is being opened, writeToFile does), the answer is then
   * dropped. Body mode: the registry's request goes too, as without a
   * hand-over. Before the offer: onInformation takes care of it.
   */
  private onClientGone(): void {
    this.clientGone = true;
    if (this.mode === 'body') this.tearDownUpstream();
  }

  private answerFailure(err: NodeJS.ErrnoException): void {
    const failure = upstreamFailure('registry', err, this.upstreamTimedOut);
    this.h.logger.warning(`upstream registry failed: ${err.code ?? err.message}`, { requestId: this.h.requestId, status: failure.status });
    this.answerError(failure);
  }

  private answerError(failure: AppError): void {
    if (this.answered || this.clientGone) return;
    this.answered = true;
    this.describeConnection();
    sendError(this.h.res, failure, 'oci', this.h.requestId);
  }

  /** The client's connection stays open only when no unread body is left on it. */
  private describeConnection(): void {
    const { res } = this.h;
    if (!this.clientBodyRead()) res.shouldKeepAlive = false;
    describeClientConnection(res, this.h.keepAliveSeconds);
  }

  /** Whole body read, or none of it coming: no 100 Continue was sent to a client waiting for one. */
  private clientBodyRead(): boolean {
    return this.h.req.complete || (this.h.expectsContinue && !this.continueSent);
  }
}
