/** RFC 5424 caps APP-NAME at 48 characters; longer names are cut there. */
export const maxAppNameLength = 48;
export const unknownApp = 'unknown';

/**
 * The file stem a sender's app name is filed under (`<stem>.log`). The name
 * comes off the network, so it is reduced to `[A-Za-z0-9._-]`, may not start
 * with a dot (no `.`, `..`, hidden files) and is cut to 48 characters: no
 * path separator, NUL or control character can reach the file system. A name
 * with nothing usable left is filed under `unknown`.
 */
export function appFileStem(appName: string | null): string {
  if (!appName) return unknownApp;
  const cleaned = appName
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^[.]+/, '')
    .slice(0, maxAppNameLength);
  // A stem made only of underscores and dots says nothing about the sender.
  return /[A-Za-z0-9]/.test(cleaned) ? cleaned : unknownApp;
}
