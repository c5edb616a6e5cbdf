/**
 * What every request of the route table passes before its handler, in this order: who is
 * calling (a stranger is refused before anything of the body is read), the caller's rate
 * limit, the CSRF token of a cookie-authenticated write, the route's role (admin, PMO), and
 * only then the body: JSON, declared as such, within the size limit.
 */
import { isUtf8 } from 'node:buffer';
import express, { type Request, type Response } from 'express';
import { unauthorized, type Authenticator, type Principal } from '../auth';
import type { RouteName, RouteSpec } from '../contract';
import { HttpProblem } from '../problem';
import { checkCsrf } from './cookies';
import type { RequestLimits } from './limits';

const JSON_TYPES = ['application/json', 'application/*+json'];

export interface GateDeps {
  auth: Authenticator;
  limits: RequestLimits;
  /** Largest accepted body (express size string). */
  bodyLimit: string;
}

/** Admits a request to route `name`; answers its caller (undefined: anonymous on an open route). */
export type Gate = (
  name: RouteName,
  spec: RouteSpec,
  req: Request,
  res: Response,
) => Promise<Principal | undefined>;

export function createGate({ auth, limits, bodyLimit }: GateDeps): Gate {
  const json = express.json({
    limit: bodyLimit,
    strict: false,
    type: JSON_TYPES,
    verify: utf8Only,
  });
  return async (name, spec, req, res) => {
    let principal: Principal | undefined;
    // Signing out reads the session when there is one, and is open to anyone.
    if (spec.access !== 'anyone' || name === 'endSession') {
      const authentication = await auth.authenticate(req);
      if (authentication.principal) principal = authentication.principal;
      else if (spec.access !== 'anyone') throw unauthorized(authentication.why);
    }
    if (principal) {
      await limits.user(principal.user.id);
      if (principal.session) checkCsrf(req, principal.session.csrfToken);
    }
    const user = principal?.user;
    if (spec.access === 'admin' && !user!.admin) {
      throw new HttpProblem(403, 'forbidden', 'only an admin may do this');
    }
    if (spec.access === 'pmo' && !user!.pmo && !user!.admin) {
      throw new HttpProblem(403, 'forbidden', 'only the PMO may do this');
    }
    if (spec.body && hasUnreadBody(req)) throw unsupportedMediaType();
    // Any JSON body is read and must be JSON, also where the route takes none.
    await readJson(json, req, res);
    return principal;
  };
}

/**
 * JSON is UTF-8 (RFC 8259 §8.1). The parser would decode a broken sequence (or a surrogate
 * encoded on its own) as U+FFFD and store that in place of what was sent: refused instead.
 */
function utf8Only(_req: unknown, _res: unknown, body: Buffer): void {
  if (isUtf8(body)) return;
  const message = 'not valid UTF-8';
  throw new HttpProblem(400, 'malformed_json', `the body is ${message}`, [
    { path: ['body'], code: 'malformed_json', message },
  ]);
}

/** Runs the JSON body parser now, as a promise. */
function readJson(parser: express.RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject: (error: Error) => void) => {
    // body-parser fails with http-errors (Error objects carrying `type` and `status`).
    void parser(req, res, (error?: unknown) => (error ? reject(error as Error) : resolve()));
  });
}

/** A body the JSON parser would skip for its content-type: taking it as absent would lose it. */
function hasUnreadBody(req: Request): boolean {
  const sent =
    req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length']) > 0;
  return sent && !req.is(JSON_TYPES);
}

function unsupportedMediaType(): HttpProblem {
  const message = 'send the body as application/json';
  const field = { path: ['headers', 'content-type'], code: 'unsupported_media_type', message };
  return new HttpProblem(415, 'unsupported_media_type', message, [field]);
}
