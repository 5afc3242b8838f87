import { createHash, Hash } from 'node:crypto';

/**
 * Content digests as the OCI image spec writes them: `<algorithm>:<encoded>`.
 * Only the two registered algorithms are accepted, each with its exact
 * lowercase-hex length, so a digest string is also safe to use as a path
 * segment and a database key.
 */
export const digestAlgorithms = ['sha256', 'sha512'] as const;
export type DigestAlgorithm = (typeof digestAlgorithms)[number];

const encodedPattern: Record<DigestAlgorithm, RegExp> = {
  sha256: /^[a-f0-9]{64}$/,
  sha512: /^[a-f0-9]{128}$/,
};

export interface ParsedDigest {
  algorithm: DigestAlgorithm;
  /** The lowercase hex part after the colon. */
  encoded: string;
  /** The canonical `<algorithm>:<encoded>` string. */
  digest: string;
}

/** The spec's general grammar, for telling "malformed" apart from "unsupported algorithm". */
const generalGrammar = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** Parses a digest; null when it is malformed or uses an algorithm we do not support. */
export function parseDigest(value: string): ParsedDigest | null {
  const colon = value.indexOf(':');
  if (colon < 0) return null;
  const algorithm = value.slice(0, colon);
  const encoded = value.slice(colon + 1);
  if (!isDigestAlgorithm(algorithm) || !encodedPattern[algorithm].test(encoded)) return null;
  return { algorithm, encoded, digest: value };
}

export function isDigest(value: string): boolean {
  return parseDigest(value) !== null;
}

/** True for anything shaped like a digest, supported or not (used to route `name:ref` vs digests). */
export function looksLikeDigest(value: string): boolean {
  return generalGrammar.test(value);
}

export function isDigestAlgorithm(value: string): value is DigestAlgorithm {
  return (digestAlgorithms as readonly string[]).includes(value);
}

/** Incremental hashing with a digest-shaped result; feed it bytes as they stream past. */
export class Digester {
  private readonly hash: Hash;
  private bytes = 0;

  constructor(readonly algorithm: DigestAlgorithm = 'sha256') {
    this.hash = createHash(algorithm);
  }

  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
  }

  /** How many bytes have been hashed so far. */
  get size(): number {
    return this.bytes;
  }

  /** Finishes the hash; the digester cannot be fed afterwards. */
  digest(): string {
    return `${this.algorithm}:${this.hash.digest('hex')}`;
  }
}

/** The digest of bytes already in memory (manifests, small test blobs). */
export function digestOf(content: Uint8Array | string, algorithm: DigestAlgorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(content).digest('hex')}`;
}
