/**
 * The web app's cookies: the session (HttpOnly, SameSite=Lax, Secure and `__Host-` named when
 * served over TLS) and the short-lived one binding a single sign-on to the browser that
 * started it. The CSRF check for writes authenticated by the session cookie lives here too.
 */
import { timingSafeEqual } from 'node:crypto';
import type { CookieOptions, Request, Response } from 'express';
import { HttpProblem } from '../problem';

const SESSION = 'gatehouse_session';
const SSO_BINDING = 'gatehouse_sso';
/** Cookies are named `__Host-…` over TLS: the browser then refuses them from elsewhere. */
const hostOnly = (name: string, secure: boolean) => (secure ? `__Host-${name}` : name);

/** The request's cookies (RFC 6265 `name=value; …`); malformed pairs are skipped. */
export function readCookies(req: Request): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    const name = pair.slice(0, at).trim();
    let value = pair.slice(at + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (!cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

/** Whether the request came over TLS (directly or, with TRUST_PROXY, through the proxy). */
export const overTls = (req: Request): boolean => req.secure;

function options(req: Request, maxAgeMs?: number): CookieOptions {
  return {
    httpOnly: true,
    secure: overTls(req),
    sameSite: 'lax',
    path: '/',
    ...(maxAgeMs !== undefined && { maxAge: maxAgeMs }),
  };
}

export function sessionSecretOf(req: Request): string | undefined {
  const cookies = readCookies(req);
  return cookies.get(hostOnly(SESSION, true)) ?? cookies.get(SESSION);
}

export function setSessionCookie(req: Request, res: Response, secret: string, maxAgeMs: number) {
  res.cookie(hostOnly(SESSION, overTls(req)), secret, options(req, maxAgeMs));
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(hostOnly(SESSION, overTls(req)), options(req));
}

export function ssoBindingOf(req: Request): string | undefined {
  const cookies = readCookies(req);
  return cookies.get(hostOnly(SSO_BINDING, true)) ?? cookies.get(SSO_BINDING);
}

export function setSsoBinding(req: Request, res: Response, value: string, maxAgeMs: number) {
  res.cookie(hostOnly(SSO_BINDING, overTls(req)), value, options(req, maxAgeMs));
}

export function clearSsoBinding(req: Request, res: Response): void {
  res.clearCookie(hostOnly(SSO_BINDING, overTls(req)), options(req));
}

/** Methods that change nothing: no CSRF token needed. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A write authenticated by the session cookie must echo the session's CSRF token in
 * `X-CSRF-Token`: another site can make the browser send the cookie, never read the token.
 */
export function checkCsrf(req: Request, expected: string): void {
  if (SAFE_METHODS.has(req.method)) return;
  const given = req.headers['x-csrf-token'];
  const ok =
    typeof given === 'string' &&
    given.length === expected.length &&
    timingSafeEqual(Buffer.from(given), Buffer.from(expected));
  if (!ok) {
    const message = 'a write with the session cookie needs the session\u2019s X-CSRF-Token header';
    throw new HttpProblem(403, 'csrf_token_invalid', message, [
      { path: ['headers', 'x-csrf-token'], code: 'csrf_token_invalid', message },
    ]);
  }
}
