import type { ZodError } from 'zod';
import {
  imageManifestTypes,
  mediaTypes,
  nonDistributableLayerTypes,
  schema1ManifestTypes,
  supportedManifestTypes,
} from './media-types';
import { Descriptor, imageManifestSchema, indexManifestSchema } from './manifest.schema';

/** What a registry needs to know about a pushed manifest. */
export interface ParsedManifest {
  mediaType: string;
  kind: 'image' | 'index';
  /** Blobs the registry must hold in the repository: config and layers. */
  blobs: Descriptor[];
  /** Child manifests (of an index/list) the repository must hold. */
  manifests: Descriptor[];
  subject: Descriptor | null;
  /**
   * The artifact type as the referrers API reports it: `artifactType` when
   * set, else the config's media type for image manifests.
   */
  artifactType: string | null;
}

export type ManifestParseResult = { ok: true; manifest: ParsedManifest } | { ok: false; reason: string };

const schema1Message =
  'Docker schema 1 manifests are not supported: push with a current client (Docker schema 2 or OCI)';

/**
 * Validates manifest bytes against the media type the client declared in
 * Content-Type. The body's own `mediaType`, when present, must agree with a
 * manifest Content-Type; a generic or missing Content-Type defers to the body.
 */
export function parseManifest(content: Uint8Array, contentType?: string): ManifestParseResult {
  const declared = normaliseContentType(contentType);
  if (declared && schema1ManifestTypes.includes(declared)) return { ok: false, reason: schema1Message };

  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(content).toString('utf8'));
  } catch {
    return { ok: false, reason: 'manifest is not valid JSON' };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, reason: 'manifest must be a JSON object' };
  }
  const body = json as Record<string, unknown>;
  if (body.schemaVersion === 1) return { ok: false, reason: schema1Message };
  if (body.schemaVersion !== 2) return { ok: false, reason: 'manifest schemaVersion must be 2' };

  const bodyType = typeof body.mediaType === 'string' ? body.mediaType : undefined;
  if (body.mediaType !== undefined && bodyType === undefined) return { ok: false, reason: 'mediaType must be a string' };
  if (bodyType && schema1ManifestTypes.includes(bodyType)) return { ok: false, reason: schema1Message };
  const declaredManifestType = declared && isManifestContentType(declared) ? declared : undefined;
  if (declaredManifestType && bodyType && declaredManifestType !== bodyType) {
    return { ok: false, reason: `Content-Type ${declaredManifestType} does not match the manifest's mediaType ${bodyType}` };
  }

  const mediaType = bodyType ?? declaredManifestType ?? inferOciType(body);
  if (!mediaType) return { ok: false, reason: 'manifest has no mediaType and none can be inferred' };
  if (!supportedManifestTypes.includes(mediaType)) {
    return { ok: false, reason: `unsupported manifest media type ${mediaType}` };
  }
  // Docker's formats always carry their mediaType; only OCI may leave it out.
  if (!bodyType && (mediaType === mediaTypes.dockerManifest || mediaType === mediaTypes.dockerManifestList)) {
    return { ok: false, reason: `a ${mediaType} manifest must carry its mediaType` };
  }

  if (imageManifestTypes.includes(mediaType)) {
    const parsed = imageManifestSchema.safeParse(body);
    if (!parsed.success) return { ok: false, reason: describe(parsed.error) };
    const m = parsed.data;
    const layers = m.layers.filter((l) => !(nonDistributableLayerTypes.includes(l.mediaType) && (l.urls?.length ?? 0) > 0));
    return {
      ok: true,
      manifest: {
        mediaType,
        kind: 'image',
        blobs: [m.config, ...layers],
        manifests: [],
        subject: m.subject ?? null,
        artifactType: m.artifactType ?? m.config.mediaType,
      },
    };
  }
  const parsed = indexManifestSchema.safeParse(body);
  if (!parsed.success) return { ok: false, reason: describe(parsed.error) };
  const m = parsed.data;
  return {
    ok: true,
    manifest: {
      mediaType,
      kind: 'index',
      blobs: [],
      manifests: m.manifests,
      subject: m.subject ?? null,
      artifactType: m.artifactType ?? null,
    },
  };
}

/** `application/vnd.oci.image.manifest.v1+json; charset=utf-8` → the bare type, lowercased. */
export function normaliseContentType(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const bare = value.split(';')[0]!.trim().toLowerCase();
  return bare === '' ? undefined : bare;
}

function isManifestContentType(type: string): boolean {
  return supportedManifestTypes.includes(type) || type.startsWith('application/vnd.');
}

function inferOciType(body: Record<string, unknown>): string | undefined {
  if (Array.isArray(body.manifests)) return mediaTypes.ociIndex;
  if (typeof body.config === 'object' && body.config !== null) return mediaTypes.ociManifest;
  return undefined;
}

function describe(error: ZodError): string {
  const issue = error.issues[0]!;
  const where = issue.path.length > 0 ? issue.path.join('.') : 'manifest';
  return `invalid manifest: ${where}: ${issue.message}`;
}
