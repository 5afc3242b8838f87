/**
 * The one table of error codes this suite speaks. OCI Distribution codes are
 * answered on /v2 in the OCI envelope; Harbor codes on /api in Harbor's
 * envelope. Each code carries the HTTP status it maps to, so handlers only
 * name a code and never pick a status themselves.
 */
export const ociErrorCodes = {
  BLOB_UNKNOWN: 404,
  BLOB_UPLOAD_INVALID: 400,
  BLOB_UPLOAD_UNKNOWN: 404,
  DIGEST_INVALID: 400,
  MANIFEST_BLOB_UNKNOWN: 404,
  MANIFEST_INVALID: 400,
  MANIFEST_UNKNOWN: 404,
  NAME_INVALID: 400,
  NAME_UNKNOWN: 404,
  SIZE_INVALID: 400,
  UNAUTHORIZED: 401,
  DENIED: 403,
  UNSUPPORTED: 405,
  TOOMANYREQUESTS: 429,
  RANGE_INVALID: 416,
  PAYLOAD_TOO_LARGE: 413,
} as const;

export const harborErrorCodes = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PRECONDITION: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  VIOLATE_FOREIGN_KEY_CONSTRAINT: 412,
  TOO_MANY_REQUEST: 429,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type OciErrorCode = keyof typeof ociErrorCodes;
export type HarborErrorCode = keyof typeof harborErrorCodes;
export type ErrorCode = OciErrorCode | HarborErrorCode;

export function statusOf(code: ErrorCode): number {
  return (ociErrorCodes as Record<string, number>)[code] ?? (harborErrorCodes as Record<string, number>)[code] ?? 500;
}
