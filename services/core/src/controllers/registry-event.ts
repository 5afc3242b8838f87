import { z } from 'zod';

/**
 * A registry event as the suite's registry sends it (Distribution's envelope).
 * Validated at the edge; unknown fields are tolerated so a newer registry does
 * not break an older core.
 */
export const registryEventSchema = z.object({
  id: z.string().max(256),
  timestamp: z.string().max(64),
  action: z.enum(['push', 'pull', 'delete']),
  target: z.object({
    mediaType: z.string().max(256).optional(),
    size: z.number().int().nonnegative().optional(),
    digest: z.string().max(256),
    repository: z.string().min(1).max(255),
    tag: z.string().max(128).optional(),
    url: z.string().max(2048).optional(),
  }),
  request: z
    .object({
      id: z.string().max(256).optional(),
      addr: z.string().max(256).optional(),
      host: z.string().max(256).optional(),
      method: z.string().max(16).optional(),
      useragent: z.string().max(1024).optional(),
    })
    .optional(),
  actor: z.object({ name: z.string().max(255).optional() }).optional(),
  source: z.object({ addr: z.string().max(256).optional(), instanceID: z.string().max(256).optional() }).optional(),
});

export const registryEventEnvelopeSchema = z.object({
  events: z.array(registryEventSchema).max(1000),
});

export type RegistryEvent = z.infer<typeof registryEventSchema>;
