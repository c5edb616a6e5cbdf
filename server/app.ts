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
import { routes, type RouteName, type RouteSpec } from './contract';
import { HttpProblem, problemHandler, sendProblem, zodErrors } from './problem';
import { createMetrics, type Metrics } from './metrics';
import { projectHandlers } from './routes/projects';
import { templateHandlers } from './routes/templates';
import { userHandlers } from './routes/users';
import { systemHandlers } from './routes/system';
import { ProjectAccess } from './routes/project-access';

export interface AppDeps {
  db: Kysely<Database>;
  temporal: { client: Client; taskQueue: string };
  oidc?: OidcConfig;
  /** Largest accepted body (express size string). */
  bodyLimit?: string;
  /** Temporal Web UI base URL, linked from each project. */
  temporalUiUrl?: string;
  metrics?: Metrics;
  log?: (message: string, fields: Record<string, unknown>) => void;
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
  const projects = new ProjectAccess(deps);
  const log =
    deps.log ??
    ((message: string, fields: Record<string, unknown>) => console.error(message, fields));
  const handlers: Handlers<RouteName> = {
    ...userHandlers,
    ...templateHandlers,
    ...projectHandlers,
    ...systemHandlers(metrics),
  };

  app.use(metrics.middleware);
  app.use(
    express.json({
      limit: deps.bodyLimit ?? '256kb',
      strict: false,
      type: ['application/json', 'application/*+json'],
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
        const params = parse('params', spec.params, req.params);
        const query = parse('query', spec.query, req.query);
        const body = spec.body ? parse('body', spec.body, req.body) : undefined;
        if (spec.path.startsWith('/api/projects/:id')) {
          await projects.check((params as { id: string }).id, user!, spec.access);
        }
        const handler = handlers[name] as (ctx: Ctx<unknown, unknown, unknown>) => Promise<unknown>;
        const result = await handler({ req, res, user, params, query, body, deps, projects });
        if (!res.headersSent) res.status(spec.status).json(result);
      } catch (error) {
        next(error);
      }
    });
  }
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
    problemHandler((error, req) =>
      log('request failed', {
        method: req.method,
        path: req.originalUrl,
        error: error instanceof Error ? error.stack : String(error),
      }),
    ),
  );
  return app;
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
  return a.length === b.length && a.every((part, i) => part.startsWith(':') || part === b[i]);
}
