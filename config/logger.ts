/**
 * Structured logs: one JSON object per line on stdout (pino), for a log shipper to read. The
 * processes log through it; the API's request lines (server/request-log.ts) and the Temporal
 * SDK's own logs (worker/runtime.ts) included.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './index';

export type { Logger } from 'pino';

/** Never written, whatever a caller passes in: credentials. */
const REDACTED = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'apiKey',
  'password',
];

/** A logger for process `name` (`gatehouse-api`, `gatehouse-worker`) at `level` and above. */
export function createLogger(
  name: string,
  level: LogLevel,
  destination?: DestinationStream,
): Logger {
  const options = {
    name,
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    // "level":"warn" rather than pino's 40: readable by people and by every log shipper.
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: REDACTED, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
