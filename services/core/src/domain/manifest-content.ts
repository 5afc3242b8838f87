import type { ManifestFacts } from './artifact-type';

export interface DescriptorView {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  urls?: string[];
  platform?: Record<string, unknown>;
}

/** What core reads out of stored manifest bytes (the registry validated them on push). */
export interface ManifestContent extends ManifestFacts {
  config: DescriptorView | null;
  layers: DescriptorView[];
  /** Children of an index. */
  manifests: DescriptorView[];
}

/**
 * Reads the parts of a manifest the API shows. Stored manifests were
 * validated by the registry, but nothing here trusts that: odd fields are
 * skipped, never thrown on.
 */
export function readManifest(manifestMediaType: string, content: Buffer | Uint8Array): ManifestContent {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(Buffer.from(content).toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    // Left empty: an unreadable manifest shows as an artifact with nothing known about it.
  }
  const config = descriptor(body.config);
  return {
    manifestMediaType,
    configMediaType: config?.mediaType ?? null,
    artifactType: typeof body.artifactType === 'string' ? body.artifactType : null,
    annotations: stringRecord(body.annotations),
    config,
    layers: descriptors(body.layers),
    manifests: descriptors(body.manifests),
  };
}

function descriptors(value: unknown): DescriptorView[] {
  if (!Array.isArray(value)) return [];
  return value.map(descriptor).filter((d): d is DescriptorView => d !== null);
}

function descriptor(value: unknown): DescriptorView | null {
  if (!value || typeof value !== 'object') return null;
  const d = value as Record<string, unknown>;
  if (typeof d.digest !== 'string' || typeof d.mediaType !== 'string') return null;
  const view: DescriptorView = { mediaType: d.mediaType, digest: d.digest, size: typeof d.size === 'number' && d.size >= 0 ? d.size : 0 };
  if (d.annotations !== undefined) view.annotations = stringRecord(d.annotations);
  if (Array.isArray(d.urls)) view.urls = d.urls.filter((u): u is string => typeof u === 'string');
  if (d.platform && typeof d.platform === 'object' && !Array.isArray(d.platform)) view.platform = d.platform as Record<string, unknown>;
  return view;
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}
