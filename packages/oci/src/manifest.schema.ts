import { z } from 'zod';
import { isDigest } from './digest';

/** A content descriptor (OCI image spec, descriptor.md); unknown fields pass through untouched. */
export const descriptorSchema = z
  .object({
    mediaType: z.string().min(1),
    digest: z.string().refine(isDigest, 'not a valid sha256/sha512 digest'),
    size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    urls: z.array(z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
    artifactType: z.string().optional(),
    platform: z
      .object({ architecture: z.string(), os: z.string() })
      .passthrough()
      .optional(),
  })
  .passthrough();

/** OCI image manifest and Docker schema 2 manifest share this shape. */
export const imageManifestSchema = z
  .object({
    schemaVersion: z.literal(2),
    mediaType: z.string().optional(),
    artifactType: z.string().optional(),
    config: descriptorSchema,
    layers: z.array(descriptorSchema),
    subject: descriptorSchema.optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  })
  .passthrough();

/** OCI image index and Docker manifest list share this shape. */
export const indexManifestSchema = z
  .object({
    schemaVersion: z.literal(2),
    mediaType: z.string().optional(),
    artifactType: z.string().optional(),
    manifests: z.array(descriptorSchema),
    subject: descriptorSchema.optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  })
  .passthrough();

export type Descriptor = z.infer<typeof descriptorSchema>;
export type ImageManifest = z.infer<typeof imageManifestSchema>;
export type IndexManifest = z.infer<typeof indexManifestSchema>;
