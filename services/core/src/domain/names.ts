/** Harbor's project name rule: lower-case words joined by single `.`, `_` or `-`. */
const projectNamePattern = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export function projectNameProblem(name: string): string | null {
  if (name.length < 1 || name.length > 255) return 'the project name must be 1 to 255 characters long';
  if (!projectNamePattern.test(name)) {
    return 'the project name must be lower-case letters and digits, optionally separated by single ".", "_" or "-"';
  }
  return null;
}

/**
 * Harbor refuses `, " ~ # $ %` in user names; `:` is refused too, because a
 * name holding it could never log in with Basic credentials. Control
 * characters are refused because they end up in logs.
 */
const illegalInUsername = /[,"~#$%:\s\p{Cc}]/u;
const illegalInRealname = /[,"~#$%\p{Cc}]/u;

export function usernameProblem(name: string): string | null {
  if (name.length < 1 || name.length > 255) return 'the username must be 1 to 255 characters long';
  if (illegalInUsername.test(name)) return 'the username must not contain spaces or any of , " ~ # $ % :';
  return null;
}

export function realnameProblem(name: string): string | null {
  if (name.length < 1 || name.length > 255) return 'the realname must be 1 to 255 characters long';
  if (illegalInRealname.test(name)) return 'the realname must not contain any of , " ~ # $ %';
  return null;
}

const emailPattern = /^[^\s@"<>,;]+@[^\s@"<>,;]+\.[^\s@"<>,;]+$/;

export function emailProblem(email: string): string | null {
  if (email.length > 255 || !emailPattern.test(email)) return 'the email address is not valid';
  return null;
}
