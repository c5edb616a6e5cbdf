/** OpenAPI, liveness, readiness (Temporal and the database answer) and Prometheus metrics. */
import { checkDatabase, countOpenDeadLetters } from '../../db';
import type { Handlers } from '../app';
import type { Metrics } from '../metrics';
import { openApiDocument } from '../openapi';
import { HttpProblem } from '../problem';

const READY_TIMEOUT_MS = 3000;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref(),
    ),
  ]);
}

export function systemHandlers(
  metrics: Metrics,
): Handlers<'openapi' | 'healthz' | 'readyz' | 'metrics'> {
  let document: Record<string, unknown> | undefined;
  return {
    async openapi() {
      document ??= openApiDocument();
      return document;
    },
    async healthz() {
      return { status: 'ok' };
    },
    async readyz({ deps }) {
      const checks = await Promise.allSettled([
        within(checkDatabase(deps.db), READY_TIMEOUT_MS),
        // A deadline, not only a race: the client's own retries must stop with the probe.
        deps.temporal.client.withDeadline(Date.now() + READY_TIMEOUT_MS, () =>
          deps.temporal.client.workflowService.getSystemInfo({}),
        ),
      ]);
      const [database, temporal] = checks.map((c) =>
        c.status === 'fulfilled' ? 'ok' : 'unreachable',
      );
      if (database !== 'ok' || temporal !== 'ok') {
        throw new HttpProblem(503, 'not_ready', `database: ${database}, temporal: ${temporal}`);
      }
      // Ready, but records that could not be written wait for `gatehouse records repair`.
      const deadLetters = await within(countOpenDeadLetters(deps.db), READY_TIMEOUT_MS);
      if (deadLetters > 0) return { status: 'degraded', database, temporal, deadLetters };
      return { status: 'ready', database, temporal, deadLetters };
    },
    async metrics({ res }) {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    },
  };
}
