/** Logging for activities: Temporal's activity logger when running as one, else the console. */
import { asyncLocalStorage } from '@temporalio/activity';

/** The little the activities log. */
export interface ActivityLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  /** Falls back to `info` when a logger has no debug level. */
  debug?(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  /** Falls back to `warn` when a logger has no error level. */
  error?(message: string, meta?: Record<string, unknown>): void;
}

/**
 * Resolves the logger per call: the worker's activity logger carries workflow and activity
 * ids; outside an activity (scripts, direct calls in tests) the console is used.
 */
export const contextLogger: ActivityLogger = {
  info: (message, meta) => current().info(message, meta),
  debug: (message, meta) => {
    const log = current();
    (log.debug ?? log.info).call(log, message, meta);
  },
  warn: (message, meta) => current().warn(message, meta),
  error: (message, meta) => {
    const log = current();
    (log.error ?? log.warn).call(log, message, meta);
  },
};

function current(): ActivityLogger {
  return asyncLocalStorage.getStore()?.log ?? consoleLogger;
}

const consoleLogger: ActivityLogger = {
  info: (message, meta) => console.info(message, meta ?? {}),
  debug: (message, meta) => console.debug(message, meta ?? {}),
  warn: (message, meta) => console.warn(message, meta ?? {}),
  error: (message, meta) => console.error(message, meta ?? {}),
};
