import type { Request, Response } from 'express';

/** The value of one cookie of the request, or undefined. The first occurrence wins. */
export function cookieOf(req: Request, name: string): string | undefined {
  const header = req.header('cookie');
  if (!header || header.length > 16_384) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      return decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export interface CookiePolicy {
  /** Set when the external URL is https: browsers then never send the cookie in clear. */
  secure: boolean;
}

/** The session id: unreadable by scripts, sent on same-site requests and top-level navigation only. */
export function setSessionCookie(res: Response, policy: CookiePolicy, id: string): void {
  res.cookie(sessionCookie, id, { httpOnly: true, sameSite: 'lax', secure: policy.secure, path: '/' });
}

/** Harbor's `__csrf` cookie: readable by the portal's scripts, which echo it in `X-Harbor-CSRF-Token`. */
export function setCsrfCookie(res: Response, policy: CookiePolicy, token: string): void {
  res.cookie(csrfCookie, token, { httpOnly: false, sameSite: 'lax', secure: policy.secure, path: '/' });
}

export function clearSessionCookies(res: Response, policy: CookiePolicy): void {
  res.clearCookie(sessionCookie, { httpOnly: true, sameSite: 'lax', secure: policy.secure, path: '/' });
  res.clearCookie(csrfCookie, { httpOnly: false, sameSite: 'lax', secure: policy.secure, path: '/' });
}

export const sessionCookie = 'sid';
export const csrfCookie = '__csrf';
export const csrfHeader = 'X-Harbor-CSRF-Token';
