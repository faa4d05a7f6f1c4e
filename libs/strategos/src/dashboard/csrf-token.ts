import { randomBytes, timingSafeEqual } from 'node:crypto';
import { CSRF_COOKIE } from './dashboard.constants';

/** A request's headers as the CSRF checks read them. */
type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** A new random token. */
export function newCsrfToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The dashboard's CSRF cookie of the request, if any. */
export function csrfCookie(headers: Headers): string | undefined {
  const header = headers.cookie;
  const cookies = Array.isArray(header) ? header.join('; ') : (header ?? '');
  for (const part of cookies.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === CSRF_COOKIE) return value.join('=');
  }
  return undefined;
}

/** The Set-Cookie value of the token: HttpOnly (the page gets the token from `api/meta`), SameSite=Strict. */
export function csrfSetCookie(token: string, path: string, secure: boolean): string {
  return `${CSRF_COOKIE}=${token}; Path=${path}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** Whether two tokens are equal, in constant time. */
export function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Whether the request comes from the dashboard's own origin, judged by `Origin` (or `Referer`) against `Host`. */
export function isSameOrigin(headers: Headers): boolean {
  const host = headers['x-forwarded-host'] ?? headers.host;
  const source = headers.origin ?? headers.referer;
  if (typeof source !== 'string') return headers['sec-fetch-site'] === undefined || headers['sec-fetch-site'] === 'same-origin';
  try {
    return new URL(source).host === host;
  } catch {
    return false;
  }
}
