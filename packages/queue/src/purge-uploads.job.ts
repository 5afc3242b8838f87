import { z } from 'zod';

/** Ten years in minutes: anything above is a typo, not a policy. */
const maxMinutes = 10 * 365 * 24 * 60;

/**
 * PURGE_UPLOADS asks the registry to drop upload sessions (rows and bytes)
 * nobody has touched for `olderThanMinutes`. Without the parameter the
 * jobservice's configured `uploadPurge.maxAgeMinutes` applies.
 */
export const purgeUploadsParametersSchema = z
  .object({ olderThanMinutes: z.number().int().min(1).max(maxMinutes).optional() })
  .strict();

export const purgeUploadsResultSchema = z.object({ purged: z.number().int().min(0) }).strict();

export type PurgeUploadsParameters = z.infer<typeof purgeUploadsParametersSchema>;
export type PurgeUploadsResult = z.infer<typeof purgeUploadsResultSchema>;
