import { AppError, isAppError } from './app-error';
import { ociErrorCodes } from './codes';

export interface OciErrorBody {
  errors: Array<{ code: string; message: string; detail?: unknown }>;
}
export interface HarborErrorBody {
  errors: Array<{ code: string; message: string }>;
}

/**
 * Anything that is not an AppError is an internal failure: the caller sees a
 * generic message, and the original goes to the log through `onInternal`.
 */
export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  if (isBodyParserError(err)) {
    if (err.type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE', 'request body too large');
    return new AppError('BAD_REQUEST', 'malformed request body', undefined, { status: 400 });
  }
  // Only decodeURIComponent and its kin throw these; here that is a route parameter such as `%ff` (Express's router marks it 400).
  if (err instanceof URIError) return new AppError('BAD_REQUEST', 'malformed percent-encoding in the request', undefined, { status: 400 });
  return new AppError('INTERNAL_SERVER_ERROR', 'internal server error', undefined, { cause: err });
}

/**
 * The OCI envelope speaks only the spec's codes: any other (a server fault, a
 * Harbor code such as BAD_REQUEST from a shared parser) goes out as
 * `UNKNOWN`, as Distribution does, with its own status and message.
 */
export function ociBody(err: AppError): OciErrorBody {
  const code = Object.hasOwn(ociErrorCodes, err.code) ? err.code : 'UNKNOWN';
  const entry: OciErrorBody['errors'][number] = { code, message: err.message };
  if (err.detail !== undefined) entry.detail = err.detail;
  return { errors: [entry] };
}

export function harborBody(err: AppError): HarborErrorBody {
  return { errors: [{ code: err.code, message: err.message }] };
}

interface BodyParserError {
  type: string;
  status?: number;
}
function isBodyParserError(err: unknown): err is BodyParserError {
  return typeof err === 'object' && err !== null && typeof (err as { type?: unknown }).type === 'string' &&
    typeof (err as { status?: unknown }).status === 'number';
}
