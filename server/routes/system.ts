/**
 * OpenAPI, liveness and readiness (Temporal and the database answer; dead letters make it
 * `degraded`). Prometheus metrics are not here: they are on the process's operations port
 * (server/run-api.ts), never public.
 */
import { checkDatabase, countOpenDeadLetters } from '../../db';
import { within } from '../../process/ops-server';
import type { Handlers } from '../app';
import type { OpenApiDocument } from '../contract';
import { openApiDocument } from '../openapi';
import { HttpProblem } from '../problem';
import { RETRY_AFTER_SECONDS } from '../unavailable';

const READY_TIMEOUT_MS = 3000;

export function systemHandlers(): Handlers<'openapi' | 'healthz' | 'readyz'> {
  let document: OpenApiDocument | undefined;
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
        // A deadline, not only a race: the client would otherwise go on retrying in the
        // background while Temporal is down, one more call per probe.
        within(
          deps.temporal.client.connection.withDeadline(Date.now() + READY_TIMEOUT_MS, () =>
            deps.temporal.client.workflowService.getSystemInfo({}),
          ),
          READY_TIMEOUT_MS + 500,
        ),
      ]);
      const [database, temporal] = checks.map((c) =>
        c.status === 'fulfilled' ? 'ok' : 'unreachable',
      );
      if (database !== 'ok' || temporal !== 'ok') {
        throw new HttpProblem(
          503,
          'not_ready',
          `database: ${database}, temporal: ${temporal}`,
          [],
          { 'Retry-After': String(RETRY_AFTER_SECONDS) },
        );
      }
      // Ready, but records that could not be written wait for `gatehouse records repair`.
      const deadLetters = await within(countOpenDeadLetters(deps.db), READY_TIMEOUT_MS);
      if (deadLetters > 0) return { status: 'degraded', database, temporal, deadLetters };
      return { status: 'ready', database, temporal, deadLetters };
    },
  };
}
