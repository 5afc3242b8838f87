import type { Request, Response } from 'express';
import type { Caller } from '../auth/access';
import type { RequestInfo } from '../events/event-notifier';

/** One authorised /v2 request, as handlers see it. */
export interface V2Context {
  req: Request;
  res: Response;
  /** Repository name, validated against the OCI grammar. */
  name: string;
  /** Tag/digest, blob digest or upload uuid (unvalidated). */
  reference: string;
  caller: Caller;
}

export type V2Handler = (ctx: V2Context) => Promise<void>;

/** A single query parameter: undefined when absent, null when repeated (and so ambiguous). */
export function queryParam(req: Request, key: string): string | undefined | null {
  const value = (req.query as Record<string, unknown>)[key];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : null;
}

/** The `request` block of a registry event. */
export function requestInfo(req: Request, res: Response): RequestInfo {
  const forwarded = req.header('x-forwarded-for')?.split(',')[0]?.trim();
  return {
    id: String(res.locals.requestId ?? ''),
    addr: forwarded || req.socket.remoteAddress || '',
    host: req.header('x-forwarded-host') ?? req.header('host') ?? '',
    method: req.method,
    useragent: req.header('user-agent') ?? '',
  };
}

/** True when the request carries a body (a length above zero, or chunked encoding). */
export function hasBody(req: Request): boolean {
  const length = req.header('content-length');
  if (length !== undefined) return Number(length) > 0;
  return req.header('transfer-encoding') !== undefined;
}

/** Content-Length as a number, or null when absent or not a number. */
export function contentLength(req: Request): number | null {
  const value = req.header('content-length');
  if (value === undefined || !/^\d+$/.test(value)) return null;
  return Number(value);
}

/** RFC 8288 `Link` to the next page, in the form the spec shows. */
export function nextLink(path: string, n: number | null, last: string): string {
  const params = new URLSearchParams();
  if (n !== null) params.set('n', String(n));
  params.set('last', last);
  return `<${path}?${params.toString()}>; rel="next"`;
}

/** `n` for paging: a non-negative integer, or null when absent or unusable. */
export function pageSize(req: Request): number | null {
  const n = queryParam(req, 'n');
  return typeof n === 'string' && /^\d{1,9}$/.test(n) ? Number(n) : null;
}
