/**
 * Builds the Express app from injected dependencies (tests and `server/main.ts` alike): one
 * handler per route of the contract, each parsed with its Zod schemas, checked for access and
 * answered with JSON or problem+json.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { InvalidCursorError, type Database, type User } from '../db';
import { createAuthenticator, unauthorized, type OidcConfig } from './auth';
import { routes, type DemoUser, type RouteName, type RouteSpec } from './contract';
import { HttpProblem, problemHandler, sendProblem, zodErrors } from './problem';
import { createMetrics, type Metrics } from './metrics';
import { projectHandlers } from './routes/projects';
import { templateHandlers } from './routes/templates';
import { userHandlers } from './routes/users';
import { systemHandlers } from './routes/system';
import { ProjectAccess } from './routes/project-access';
import { demoHandlers } from './routes/demo';
import { inboxHandlers } from './routes/inbox';
import { projectNameHandlers } from './routes/project-names';
import { firstRunHandlers } from './routes/first-run';
import { designerStatic } from './static';
import { requestLogging, tagProject } from './request-log';
import type { Logger } from '../config/logger';

export interface AppDeps {
  db: Kysely<Database>;
  temporal: { client: Client; taskQueue: string };
  oidc?: OidcConfig;
  /** Largest accepted body (express size string). */
  bodyLimit?: string;
  /** Temporal Web UI base URL, linked from each project. */
  temporalUiUrl?: string;
  metrics?: Metrics;
  /**
   * Structured request logs: one JSON line per request with its id (`x-request-id`) and, under
   * /api/projects/:id, the project id; an unexpected failure's stack goes on that line.
   */
  logger?: Logger;
  /** Where unexpected failures are reported instead (tests silence them); default: `logger`. */
  log?: (message: string, fields: Record<string, unknown>) => void;
  /** The built designer, served at `/` (`npm start` passes designer/dist when it exists). */
  staticDir?: string;
  /** Demo users with tokens (embedded default only): enables `GET /api/demo/users`. */
  demoUsers?: DemoUser[];
}

/** What a handler gets: the parsed request and the caller. */
export interface Ctx<P, Q, B> {
  req: Request;
  res: Response;
  user: User | undefined;
  params: P;
  query: Q;
  body: B;
  deps: AppDeps;
  projects: ProjectAccess;
}

type In<S, K extends 'params' | 'query' | 'body'> = S extends {
  [P in K]: infer Z extends z.ZodType;
}
  ? z.output<Z>
  : undefined;
/** The context of route `N`, typed from its schemas in the contract. */
export type CtxFor<N extends RouteName> = Ctx<
  In<(typeof routes)[N], 'params'>,
  In<(typeof routes)[N], 'query'>,
  In<(typeof routes)[N], 'body'>
>;
/** Handlers answer a value (sent as JSON with the route's status) or write `res` themselves. */
export type Handlers<N extends RouteName> = { [K in N]: (ctx: CtxFor<K>) => Promise<unknown> };

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  const metrics = deps.metrics ?? createMetrics();
  const auth = createAuthenticator(deps.db, deps.oidc);
  const projects = new ProjectAccess(deps, metrics);
  const log =
    deps.log ??
    ((message: string, fields: Record<string, unknown>) => console.error(message, fields));
  const handlers: Handlers<RouteName> = {
    ...userHandlers,
    ...templateHandlers,
    ...projectHandlers,
    ...systemHandlers(metrics),
    ...demoHandlers,
    ...inboxHandlers,
    ...projectNameHandlers,
    ...firstRunHandlers,
  };

  app.use(requestLogging(deps.logger));
  app.use(metrics.middleware);
  app.use(
    express.json({
      limit: deps.bodyLimit ?? '256kb',
      strict: false,
      type: JSON_TYPES,
    }),
  );

  const byPath = new Map<string, string[]>();
  for (const [name, spec] of Object.entries(routes) as [RouteName, RouteSpec][]) {
    byPath.set(spec.path, [...(byPath.get(spec.path) ?? []), spec.method.toUpperCase()]);
    app[spec.method](spec.path, async (req: Request, res: Response, next: NextFunction) => {
      try {
        const user =
          spec.access === 'anyone' ? undefined : await auth.authenticate(req.headers.authorization);
        if (spec.access !== 'anyone' && user === undefined)
          throw unauthorized('a bearer token is required');
        if (spec.access === 'admin' && !user!.admin)
          throw new HttpProblem(403, 'forbidden', 'only an admin may do this');
        if (spec.access === 'pmo' && !user!.pmo && !user!.admin)
          throw new HttpProblem(403, 'forbidden', 'only the PMO may do this');
        if (spec.body && hasUnreadBody(req)) throw unsupportedMediaType();
        const params = parse('params', spec.params, req.params);
        const query = parse('query', spec.query, req.query);
        const body = spec.body ? parse('body', spec.body, req.body) : undefined;
        if (spec.path.startsWith('/api/projects/:id')) {
          const { id } = params as { id: string };
          tagProject(res, id); // before the check: refusals are worth tracing too
          await projects.check(id, user!, spec.access);
        }
        const handler = handlers[name] as (ctx: Ctx<unknown, unknown, unknown>) => Promise<unknown>;
        const result = await handler({ req, res, user, params, query, body, deps, projects });
        if (!res.headersSent) res.status(spec.status).json(result);
      } catch (error) {
        next(error);
      }
    });
  }
  if (deps.staticDir) app.use(designerStatic(deps.staticDir));
  // A known path with another method: 405 with Allow; anything else: 404.
  app.use((req: Request, res: Response) => {
    const path = [...byPath.keys()].find((p) => matches(p, req.path));
    if (path) {
      const allow = byPath.get(path)!.join(', ');
      sendProblem(
        res,
        new HttpProblem(
          405,
          'method_not_allowed',
          `${req.method} is not allowed here (allowed: ${allow})`,
          [],
          { Allow: allow },
        ),
        req.originalUrl,
      );
      return;
    }
    sendProblem(
      res,
      new HttpProblem(404, 'not_found', `no route ${req.method} ${req.path}`),
      req.originalUrl,
    );
  });
  app.use((error: unknown, _req: Request, _res: Response, next: NextFunction) => {
    // Cursors are opaque: one we did not issue is the client's mistake, not ours.
    if (!(error instanceof InvalidCursorError)) return next(error);
    const message = 'not a cursor of this list';
    const field = { path: ['query', 'cursor'], code: 'invalid_cursor', message };
    next(new HttpProblem(400, 'invalid_request', message, [field]));
  });
  app.use(
    problemHandler((error, req) => {
      if (deps.logger && !deps.log) {
        // The request's own log line carries the error, with the request and project ids.
        req.res!.err = error instanceof Error ? error : new Error(String(error));
        return;
      }
      log('request failed', {
        requestId: req.id,
        method: req.method,
        path: req.originalUrl,
        error: error instanceof Error ? error.stack : String(error),
      });
    }),
  );
  return app;
}

const JSON_TYPES = ['application/json', 'application/*+json'];

/** A body the JSON parser skipped for its content-type: taking it as absent would lose it. */
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

function parse(
  where: string,
  schema: RouteSpec['params'] | RouteSpec['body'],
  value: unknown,
): unknown {
  if (!schema) return {};
  const parsed = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!parsed.success) {
    throw new HttpProblem(
      400,
      'invalid_request',
      `the request ${where} is not valid`,
      zodErrors(where, parsed.error),
    );
  }
  return parsed.data;
}

function matches(pattern: string, path: string): boolean {
  const a = pattern.split('/');
  const b = path.replace(/\/$/, '').split('/');
  // A parameter takes a non-empty segment, as in the router: `/api/projects//audit` is no route.
  return (
    a.length === b.length &&
    a.every((part, i) => (part.startsWith(':') ? b[i] !== '' : part === b[i]))
  );
}
