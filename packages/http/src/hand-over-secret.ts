import { timingSafeEqual } from 'node:crypto';

/**
 * Whether a hand-over request header (`X-Harbor-Blob-Offload`,
 * `X-Harbor-Upload-Offload`) carries the internal secret as its one value.
 * Only the proxy holds it, so a caller reaching the registry's port directly
 * cannot ask for a hand-over: the storage paths the registry then names and
 * the reports it then takes are between the two services. Compared in
 * constant time; an empty secret matches nothing.
 */
export function carriesHandOverSecret(value: string | string[] | undefined, secret: string): boolean {
  if (typeof value !== 'string' || secret === '') return false;
  const given = Buffer.from(value);
  const expected = Buffer.from(secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
