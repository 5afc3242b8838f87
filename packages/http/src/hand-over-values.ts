/** The values the hand-over headers and report lines carry, checked the same way on both sides. */

/** A byte count as these headers and lines write it: plain decimal, at most 15 digits (a safe integer). */
export const decimalCount = /^\d{1,15}$/;

/** A path relative to a storage root: `/`-separated plain components, none `.` or `..`. */
export function isPlainRelativeFile(file: string): boolean {
  return /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/.test(file) && !file.split('/').some((part) => part === '.' || part === '..');
}

/** Whether a number can be written as such a byte count. */
export function isByteCount(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0 && decimalCount.test(String(value));
}
