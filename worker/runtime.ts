/**
 * The Temporal SDK runtime of a worker process: its logs (the SDK's own, the Rust core's, and
 * the workflow and activity context loggers) go to the process's pino logger, each line with
 * the project id when a project's workflow is involved; its worker metrics, when wanted, are
 * exported in Prometheus format on a loopback port (worker/metrics.ts serves them).
 */
import net from 'node:net';
import {
  DefaultLogger,
  Runtime,
  makeTelemetryFilterString,
  type LogEntry,
  type LogLevel as SdkLevel,
} from '@temporalio/worker';
import type { LogLevel } from '../config';
import type { Logger } from '../config/logger';
import { projectWorkflowId } from '../workflows/messages';

const SDK_LEVEL: Record<LogLevel, SdkLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
  silent: 'ERROR',
};
const PINO_LEVEL: Record<SdkLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};
const WORKFLOW_ID_PREFIX = projectWorkflowId('');

export interface RuntimeOptions {
  level: LogLevel;
  /** `127.0.0.1:<port>` for the SDK's Prometheus exporter; unset: no SDK metrics. */
  sdkMetricsAddress?: string;
}

/** Installs the runtime; call once, before any connection or worker is created. */
export function installRuntime(logger: Logger, options: RuntimeOptions): void {
  const level = SDK_LEVEL[options.level];
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => forward(logger, entry)),
    telemetryOptions: {
      logging: {
        // The Rust core is chatty below WARN; ask for more only when debugging.
        filter: makeTelemetryFilterString({
          core: level === 'TRACE' || level === 'DEBUG' || level === 'ERROR' ? level : 'WARN',
        }),
        forward: {},
      },
      ...(options.sdkMetricsAddress && {
        metrics: { prometheus: { bindAddress: options.sdkMetricsAddress } },
      }),
    },
    // The SDK's default: SIGINT/SIGTERM (and SIGQUIT, SIGUSR2) shut the worker down gracefully.
  });
}

function forward(logger: Logger, entry: LogEntry): void {
  const meta: Record<string, unknown> = { ...entry.meta };
  const workflowId = meta.workflowId;
  if (
    meta.projectId === undefined &&
    typeof workflowId === 'string' &&
    workflowId.startsWith(WORKFLOW_ID_PREFIX)
  ) {
    meta.projectId = workflowId.slice(WORKFLOW_ID_PREFIX.length);
  }
  logger[PINO_LEVEL[entry.level]](meta, entry.message);
}

/**
 * A free loopback port for the SDK's exporter. It binds the address itself, later, so another
 * process could take the port in between; on a loopback port picked by the OS that is unlikely,
 * and the worker then fails at start with the bind error rather than running unobserved.
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
