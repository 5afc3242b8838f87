/** A storage limit in bytes: -1 is unlimited, anything else must be a positive whole number JSON can carry exactly. */
export function storageLimitProblem(limit: number, field: string): string | null {
  if (limit === -1) return null;
  if (!Number.isSafeInteger(limit) || limit < 1) return `${field} must be -1 (unlimited) or a positive number of bytes`;
  return null;
}
