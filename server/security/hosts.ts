/**
 * The Host allow-list: a request naming another host is refused before anything else runs.
 * DNS rebinding makes a browser send a page's requests to a loopback API under the attacker's
 * host name; with this check they never reach it (demo mode always has it).
 */
import type { Request, RequestHandler, Response } from 'express';
import { HttpProblem, sendProblem } from '../problem';

/** The names a loopback-only server (the demo) answers to. */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

export function hostOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^(\[[0-9A-Fa-f:.]+\]|[^:]+)(:\d{1,5})?$/.exec(header.trim());
  return match?.[1]?.toLowerCase();
}

export function allowHosts(allowed: readonly string[]): RequestHandler {
  const names = new Set(allowed.map((h) => h.toLowerCase()));
  return (req: Request, res: Response, next) => {
    const host = hostOf(req.headers.host);
    if (host !== undefined && names.has(host)) return next();
    const message = `this server does not answer to the host ${JSON.stringify(req.headers.host ?? '')}`;
    sendProblem(
      res,
      new HttpProblem(403, 'host_not_allowed', message, [
        { path: ['headers', 'host'], code: 'host_not_allowed', message },
      ]),
      req.originalUrl,
    );
  };
}
