/**
 * Prometheus metrics (prom-client): requests by route and status, latency, project actions by
 * outcome, and sign-offs by decision and outcome with their latency (the Temporal Update's
 * round trip, validator and workflow included), and the database queries the API ran (what
 * idle event streams cost: the `scale` bench reads it).
 */
import type { NextFunction, Request, Response } from 'express';
import type { Kysely, KyselyPlugin } from 'kysely';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database } from '../db';

/** `refused`: the workflow or the project's state said no (4xx); `error`: it could not answer. */
export type ActionOutcome = 'accepted' | 'refused' | 'error';

export interface Metrics {
  registry: Registry;
  middleware: (req: Request, res: Response, next: NextFunction) => void;
  actions: Counter<'action' | 'outcome'>;
  /** Database queries the API process ran (`gatehouse_db_queries_total`). */
  dbQueries: Counter;
  /** Records one project action (a Temporal Update); `decision` for sign-offs. */
  action(observed: {
    action: string;
    outcome: ActionOutcome;
    seconds: number;
    decision?: string;
  }): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gatehouse_' });
  const requests = new Counter({
    name: 'gatehouse_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'gatehouse_http_request_duration_seconds',
    help: 'HTTP request latency by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const actions = new Counter({
    name: 'gatehouse_project_actions_total',
    help: 'Project actions (sign-offs, deliverables, …) by outcome',
    labelNames: ['action', 'outcome'] as const,
    registers: [registry],
  });
  const signoffs = new Counter({
    name: 'gatehouse_signoffs_total',
    help: 'Sign-offs by decision and outcome (accepted, refused, error)',
    labelNames: ['decision', 'outcome'] as const,
    registers: [registry],
  });
  const signoffLatency = new Histogram({
    name: 'gatehouse_signoff_duration_seconds',
    help: 'Sign-off latency (the Temporal Update round trip) by decision and outcome',
    labelNames: ['decision', 'outcome'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const dbQueries = new Counter({
    name: 'gatehouse_db_queries_total',
    help: 'Database queries the API process ran',
    registers: [registry],
  });
  return {
    registry,
    actions,
    dbQueries,
    action({ action, outcome, seconds, decision }) {
      actions.inc({ action, outcome });
      if (decision === undefined) return;
      signoffs.inc({ decision, outcome });
      signoffLatency.observe({ decision, outcome }, seconds);
    },
    middleware(req, res, next) {
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        // The route pattern, not the URL: ids would explode the label space.
        const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
        requests.inc({ method: req.method, route, status: String(res.statusCode) });
        latency.observe(
          { method: req.method, route },
          Number(process.hrtime.bigint() - started) / 1e9,
        );
      });
      next();
    },
  };
}

/**
 * `db` counting each query it runs into `counter` (transactions made from it count too; the
 * original instance does not).
 */
export function countQueries(db: Kysely<Database>, counter: Counter): Kysely<Database> {
  const plugin: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: (args) => {
      counter.inc();
      return Promise.resolve(args.result);
    },
  };
  return db.withPlugin(plugin);
}

/** How many queries a counter of {@link countQueries} has seen. */
export async function queriesRun(metrics: Metrics): Promise<number> {
  return (await metrics.dbQueries.get()).values[0]?.value ?? 0;
}
