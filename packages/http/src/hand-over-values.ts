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

/** The checks both hand-overs make on what they announce, throwing the hand-over's own error. */
export interface HandOverChecks {
  file(file: string): void;
  count(what: string, value: number): void;
}

export function handOverChecks(name: string, error: (message: string) => Error): HandOverChecks {
  return {
    file(file) {
      if (!isPlainRelativeFile(file)) throw error(`${name} hand-over file is not a plain relative path: ${JSON.stringify(file.slice(0, 200))}`);
    },
    count(what, value) {
      if (!isByteCount(value)) throw error(`${name} hand-over ${what} must be a byte count, not ${value}`);
    },
  };
}
