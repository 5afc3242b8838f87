/**
 * The s3 driver's options, read from `registry_storage_provider_config`
 * (rendered by prepare as a flat string map). The key names are those of CNCF
 * Distribution's s3 driver, so a Harbor configuration carries over.
 */
export interface S3DriverOptions {
  region: string;
  bucket: string;
  /** Static credentials; without them the SDK's default chain (env, profile, instance role) is used. */
  accessKey?: string;
  secretKey?: string;
  sessionToken?: string;
  /** An S3-compatible endpoint (MinIO, Ceph...). */
  endpoint?: string;
  forcePathStyle: boolean;
  /** The key prefix every driver path lives under, without leading or trailing slash ('' for the bucket root). */
  rootDirectory: string;
  /** Part size of multipart uploads and streamed copies; also the most one writer buffers. */
  chunkSize: number;
  /** Blob GETs answer 307 to a presigned URL on the bucket instead of streaming through the registry. */
  redirect: boolean;
  /** How long a presigned URL stays valid. */
  redirectExpirySeconds: number;
  storageClass?: string;
  /** Server-side encryption: AES256, or aws:kms with `keyId`. */
  encrypt: boolean;
  keyId?: string;
  /** Most objects one list request returns (S3 caps it at 1000); tests lower it to exercise pagination. */
  listPageSize: number;
}

const minChunkSize = 5 * 1024 * 1024;
const defaultChunkSize = 10 * 1024 * 1024;

/** Options the driver understands; anything else is refused so a typo is not silently ignored. */
const knownKeys = new Set([
  'region',
  'bucket',
  'accesskey',
  'secretkey',
  'sessiontoken',
  'regionendpoint',
  'forcepathstyle',
  'secure',
  'v4auth',
  'rootdirectory',
  'chunksize',
  'redirect',
  'disableredirect',
  'redirectexpiry',
  'storageclass',
  'encrypt',
  'keyid',
  'listpagesize',
]);

export class S3OptionsError extends Error {
  constructor(message: string) {
    super(`s3 storage: ${message}`);
    this.name = 'S3OptionsError';
  }
}

export function parseS3Options(raw: Record<string, string>): S3DriverOptions {
  const options: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) options[key.toLowerCase()] = value.trim();
  const unknown = Object.keys(options).filter((k) => !knownKeys.has(k));
  if (unknown.length > 0) throw new S3OptionsError(`unknown option(s) ${unknown.join(', ')}`);
  const region = options.region;
  const bucket = options.bucket;
  if (!region) throw new S3OptionsError('region is required');
  if (!bucket) throw new S3OptionsError('bucket is required');
  if ((options.accesskey ? 1 : 0) + (options.secretkey ? 1 : 0) === 1) {
    throw new S3OptionsError('accesskey and secretkey go together');
  }

  const secure = flag(options, 'secure', true);
  let endpoint = options.regionendpoint || undefined;
  // Distribution accepts a bare host:port; `secure` then picks the scheme.
  if (endpoint && !/^https?:\/\//.test(endpoint)) endpoint = `${secure ? 'https' : 'http'}://${endpoint}`;
  if (endpoint && !URL.canParse(endpoint)) throw new S3OptionsError(`regionendpoint ${JSON.stringify(options.regionendpoint)} is not a URL`);

  const chunkSize = integer(options, 'chunksize', defaultChunkSize);
  if (chunkSize < minChunkSize) throw new S3OptionsError(`chunksize must be at least ${minChunkSize} (S3's smallest multipart part)`);

  // Distribution's `redirect: disable: true` arrives as disableredirect; `redirect: true|false` is accepted too.
  const redirect = 'redirect' in options ? flag(options, 'redirect', false) : !flag(options, 'disableredirect', true);

  return {
    region,
    bucket,
    accessKey: options.accesskey || undefined,
    secretKey: options.secretkey || undefined,
    sessionToken: options.sessiontoken || undefined,
    endpoint,
    // Path-style addressing is what S3-compatible servers on a plain host:port need.
    forcePathStyle: flag(options, 'forcepathstyle', endpoint !== undefined),
    rootDirectory: (options.rootdirectory ?? '').replace(/^\/+|\/+$/g, ''),
    chunkSize,
    redirect,
    redirectExpirySeconds: integer(options, 'redirectexpiry', 20 * 60),
    storageClass: options.storageclass || undefined,
    encrypt: flag(options, 'encrypt', false),
    keyId: options.keyid || undefined,
    listPageSize: Math.min(1000, integer(options, 'listpagesize', 1000)),
  };
}

function flag(options: Record<string, string>, key: string, fallback: boolean): boolean {
  const value = options[key];
  if (value === undefined || value === '') return fallback;
  if (/^(true|yes|on|1)$/i.test(value)) return true;
  if (/^(false|no|off|0)$/i.test(value)) return false;
  throw new S3OptionsError(`${key} must be true or false, got ${JSON.stringify(value)}`);
}

function integer(options: Record<string, string>, key: string, fallback: number): number {
  const value = options[key];
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) < 1) {
    throw new S3OptionsError(`${key} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}
