/**
 * Request ids and request logs. Every request gets an id: the caller's `x-request-id` when it is
 * a sane token, else a random UUID, echoed in the `x-request-id` response header. With a logger,
 * each request ends in one JSON line (pino-http) with that id, the method, path, status, time
 * and, under /api/projects/:id, the project id. Headers and bodies are never logged: the
 * Authorization header is a credential and bodies are the users' data.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';

/** Ids from proxies and clients (UUIDs, trace ids); anything else could forge log lines. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;
/** Polled constantly: logged at debug unless they fail. */
const PROBES = /^\/(healthz|readyz)(\?|$)/;

export function requestIdOf(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

/** Tags the request's log line with the project it concerns (once access is checked). */
export function tagProject(res: Response, projectId: string): void {
  res.locals.projectId = projectId;
}

/**
 * The path as logged: the sign-in routes' query (an authorization code and state) is a
 * credential in flight, so it is left out.
 */
export function loggedPath(url: string): string {
  return url.startsWith('/api/auth/') ? url.replace(/\?.*$/s, '') : url;
}

export function requestLogging(logger: Logger | undefined): RequestHandler {
  if (!logger) {
    return (req, res, next) => {
      req.id = requestIdOf(req, res);
      next();
    };
  }
  return pinoHttp({
    logger,
    genReqId: requestIdOf,
    // `req.log` carries only the id; the request itself is described once, on the final line.
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    wrapSerializers: false,
    serializers: {
      req: (req: Request) => ({ method: req.method, path: loggedPath(req.originalUrl) }),
      res: (res: ServerResponse) => ({ status: res.statusCode }),
    },
    customProps: (_req, res) => {
      const projectId = (res as Response).locals?.projectId as unknown;
      return typeof projectId === 'string' ? { projectId } : {};
    },
    customLogLevel: (req, res, error) => {
      if (error || res.statusCode >= 500) return 'error';
      return PROBES.test(req.url ?? '') ? 'debug' : 'info';
    },
  });
}
