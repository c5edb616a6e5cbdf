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
import type { ActionName, BulkMigrationInput } from '../workflows/model';
import { Authenticator, type Principal } from './auth';
import { routes, type DemoUser, type RouteName, type RouteSpec } from './contract';
import { isActionName } from '../workflows/model';
import { performAction } from './routes/actions';
import { HttpProblem, problemHandler, sendProblem, zodErrors } from './problem';
import { countQueries, createMetrics, type Metrics } from './metrics';
import { ChangeHub, SignInWatch } from './changes';
import { RECHECK_MS } from './routes/events';
import { portfolioExportHandlers } from './routes/portfolio-export';
import { portfolioHandlers } from './routes/portfolio';
import { projectHandlers } from './routes/projects';
import { templateHandlers } from './routes/templates';
import { userHandlers } from './routes/users';
import { systemHandlers } from './routes/system';
import { ProjectAccess } from './routes/project-access';
import { demoHandlers } from './routes/demo';
import { authHandlers } from './routes/auth';
import { peopleHandlers } from './routes/people';
import { tokenHandlers } from './routes/tokens';
import { SsoFlow } from './oidc/sso';
import { createGate } from './security/gate';
import { securityHeaders } from './security/headers';
import { allowHosts, LOOPBACK_HOSTS } from './security/hosts';
import { RequestLimits } from './security/limits';
import { DEFAULT_SECURITY, type OidcSettings, type SecurityOptions } from './security/options';
import { inboxHandlers } from './routes/inbox';
import { projectNameHandlers } from './routes/project-names';
import { firstRunHandlers } from './routes/first-run';
import { delegationHandlers } from './routes/delegations';
import { impactHandlers } from './routes/impact';
import { migrationHandlers } from './routes/migrations';
import { designerStatic } from './static';
import { loggedPath, requestLogging, tagProject } from './request-log';
import type { Logger } from '../config/logger';
import { inspectAnswers, markRoute, type AnswerInspector, type StreamInspector } from './answers';

export interface AppDeps {
  db: Kysely<Database>;
  temporal: { client: Client; taskQueue: string };
  /** Single sign-on: OIDC bearer JWTs, and with a client id the web app's sign-in. */
  oidc?: OidcSettings;
  /** Sessions, token lifetime, limits, proxy and headers; unset fields take the defaults. */
  security?: Partial<SecurityOptions>;
  /** Largest accepted body (express size string). */
  bodyLimit?: string;
  /**
   * How long an action (or a read of a project's state) waits for Temporal before answering
   * 503 with Retry-After (ACTION_TIMEOUT); default 10 s.
   */
  actionTimeoutMs?: number;
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
  /**
   * Demo users with tokens (embedded default, GATEHOUSE_DEMO=1 only): enables
   * `GET /api/demo/users`, and every request must name a loopback host (or an allowed one).
   */
  demoUsers?: DemoUser[];
  /** Sees every answer of a route as sent (tests check them against the OpenAPI document). */
  inspectAnswer?: AnswerInspector;
  /** Sees every event stream's text as written (tests check each event against the document). */
  inspectStream?: StreamInspector;
  /**
   * The process's change feed for event streams (server/changes.ts); default: one made here
   * over `db`. The API process passes its own to close it on shutdown.
   */
  changes?: ChangeHub;
  /**
   * Aborted when the API stops: what a request started in the background (comparing a
   * project's workflow state with the read model) ends with it, not at its own time limit.
   */
  stopping?: AbortSignal;
  /** Projects an impact analysis request analyses at most (default IMPACT_BATCH). */
  impactBatch?: number;
  /**
   * Each project's budget in the bulk migrations this app starts; unset (as `run-api` leaves
   * it) the workflow's defaults. Tests shorten it to see a project given up in seconds.
   */
  migrationBudget?: BulkMigrationInput['budget'];
}

/** What the app made of its dependencies, for the handlers. */
export interface AppServices {
  security: SecurityOptions;
  limits: RequestLimits;
  auth: Authenticator;
  sso?: SsoFlow;
  /** What wakes event streams (one feed per process). */
  changes: ChangeHub;
  /** Whether the callers of open event streams are still signed in, asked together. */
  signIns: SignInWatch;
  /** `AppDeps.inspectStream`, where installed. */
  inspectStream?: StreamInspector;
}

/** What a handler gets: the parsed request and the caller. */
export interface Ctx<P, Q, B> {
  req: Request;
  res: Response;
  /** The caller, with the roles an identity provider's claim gives added. */
  user: User | undefined;
  /** How the caller signed in (token, JWT or session). */
  principal: Principal | undefined;
  app: AppServices;
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
/** What route `N`'s handler answers: its declared body, or nothing (it writes `res` itself). */
export type Answer<N extends RouteName> = (typeof routes)[N]['response'] extends infer R extends
  z.ZodType
  ? z.input<R>
  : void;
/** Handlers answer a value (sent as JSON with the route's status) or write `res` themselves. */
export type Handlers<N extends RouteName> = { [K in N]: (ctx: CtxFor<K>) => Promise<Answer<K>> };

export function createApp(appDeps: AppDeps): express.Express {
  const app = express();
  const metrics = appDeps.metrics ?? createMetrics();
  // Every query the app runs is counted (gatehouse_db_queries_total): what idle streams cost.
  const deps: AppDeps = { ...appDeps, db: countQueries(appDeps.db, metrics.dbQueries) };
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  const security: SecurityOptions = { ...DEFAULT_SECURITY, ...deps.security };
  if (security.trustProxy !== undefined) app.set('trust proxy', trustProxy(security.trustProxy));
  const log =
    deps.log ??
    ((message: string, fields: Record<string, unknown>) =>
      deps.logger ? deps.logger.warn(fields, message) : console.error(message, fields));

  const limits = new RequestLimits(security.limits);
  const auth = new Authenticator(deps.db, security.sessions, limits, deps.oidc);
  const services: AppServices = {
    security,
    limits,
    auth,
    changes:
      deps.changes ??
      new ChangeHub(deps.db, { onError: (e) => log('live updates', { error: String(e) }) }),
    signIns: new SignInWatch(
      (principals) => auth.stillValidAll(principals),
      RECHECK_MS,
      (e) => log('stream sign-in check failed', { error: String(e) }),
    ),
    ...(deps.inspectStream && { inspectStream: deps.inspectStream }),
    ...(deps.oidc?.client && {
      sso: new SsoFlow({
        db: deps.db,
        settings: { ...deps.oidc, client: deps.oidc.client },
        sessions: security.sessions,
        ...(security.publicUrl && { publicUrl: security.publicUrl }),
        report: (message, error) =>
          log(message, { error: error instanceof Error ? error.message : String(error) }),
      }),
    }),
  };
  const projects = new ProjectAccess(deps, metrics, log);
  // Every route but the project actions, which one handler serves (./routes/actions.ts).
  const handlers: Handlers<Exclude<RouteName, ActionName>> = {
    ...userHandlers,
    ...tokenHandlers,
    ...authHandlers,
    ...templateHandlers,
    ...projectHandlers,
    ...portfolioExportHandlers,
    ...portfolioHandlers,
    ...peopleHandlers,
    ...systemHandlers(),
    ...demoHandlers,
    ...inboxHandlers,
    ...projectNameHandlers,
    ...firstRunHandlers,
    ...delegationHandlers,
    ...impactHandlers,
    ...migrationHandlers,
  };
  const admit = createGate({ auth, limits, bodyLimit: deps.bodyLimit ?? '256kb' });

  if (deps.inspectAnswer) app.use(inspectAnswers(deps.inspectAnswer));
  app.use(requestLogging(deps.logger));
  app.use(metrics.middleware);
  // The demo serves tokens to whoever asks: only under a loopback name (DNS rebinding).
  const hosts = security.allowedHosts ?? (deps.demoUsers ? LOOPBACK_HOSTS : undefined);
  if (hosts) app.use(allowHosts(hosts));
  app.use(securityHeaders(security.hstsMaxAgeSeconds));
  app.use('/api', (req: Request, _res: Response, next: NextFunction) => {
    limits.request(req.ip ?? 'unknown').then(() => next(), next);
  });

  const byPath = new Map<string, string[]>();
  for (const [name, spec] of Object.entries(routes) as [RouteName, RouteSpec][]) {
    byPath.set(spec.path, [...(byPath.get(spec.path) ?? []), spec.method.toUpperCase()]);
    app[spec.method](spec.path, async (req: Request, res: Response, next: NextFunction) => {
      markRoute(res, name);
      try {
        const principal = await admit(name, spec, req, res);
        const user = principal?.user;
        const params = parse('params', spec.params, req.params);
        const query = parse('query', spec.query, req.query);
        const body = spec.body ? parse('body', spec.body, req.body) : undefined;
        if (spec.path.startsWith('/api/projects/:id')) {
          const { id } = params as { id: string };
          tagProject(res, id); // before the check: refusals are worth tracing too
          await projects.check(id, user!, spec.access);
        }
        if (spec.response === 'event-stream') {
          // Held for as long as the stream stays open.
          res.on('close', limits.openStream(user!.id));
        }
        const ctx = {
          req,
          res,
          user,
          principal,
          app: services,
          params,
          query,
          body,
          deps,
          projects,
        };
        const result = isActionName(name)
          ? await performAction(name, ctx)
          : await (handlers[name] as (ctx: Ctx<unknown, unknown, unknown>) => Promise<unknown>)(
              ctx,
            );
        if (!res.headersSent) res.status(spec.status).json(result);
      } catch (error) {
        // A refusal before the body was read: close rather than drain what the stranger sends.
        if (!req.complete && error instanceof HttpProblem) res.setHeader('Connection', 'close');
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
        path: loggedPath(req.originalUrl),
        error: error instanceof Error ? error.stack : String(error),
      });
    }),
  );
  return app;
}

/** TRUST_PROXY as Express takes it: a hop count, or names and addresses. */
function trustProxy(value: string): number | string[] {
  return /^\d+$/.test(value) ? Number(value) : value.split(',').map((part) => part.trim());
}

function parse(
  where: string,
  schema: RouteSpec['params'] | RouteSpec['body'],
  value: unknown,
): unknown {
  if (!schema) return {};
  const parsed = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!parsed.success) {
    // Well-formed but over a cap, or holding text no store can keep: 422, naming field and cap.
    if (where === 'body' && parsed.error.issues.every(isContentIssue)) {
      throw new HttpProblem(
        422,
        'unprocessable_content',
        'the request body exceeds a limit or holds text that cannot be stored',
        zodErrors(where, parsed.error),
      );
    }
    throw new HttpProblem(
      400,
      'invalid_request',
      `the request ${where} is not valid`,
      zodErrors(where, parsed.error),
    );
  }
  return parsed.data;
}

/** A cap exceeded, or a refused code point (model/text.ts): the shape itself was right. */
function isContentIssue(issue: z.core.$ZodIssue): boolean {
  if (issue.code === 'too_big') return true;
  return issue.code === 'custom' && issue.params?.code === 'invalid_text';
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
