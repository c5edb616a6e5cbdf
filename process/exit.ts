/**
 * How `gatehouse api` and `gatehouse worker` end: exit code 0 after a clean stop, 1 otherwise.
 * A mistake the operator must fix (a bad variable, an app database this build does not know,
 * that refused the login or that stayed unreachable for all of DATABASE_WAIT) is one plain line
 * on stderr, read by a person before any log pipeline exists; anything else is a `fatal` JSON
 * log line with its stack.
 */
import { ConfigError } from '../config';
import type { Logger } from '../config/logger';
import { DatabaseLoginRefused, DatabaseWaitExpired } from '../db/availability';
import { SchemaMismatchError } from '../db/migrate';

/**
 * Runs `main` (resolving true when everything stopped cleanly) and exits with its code.
 * `name` prefixes the plain lines (`gatehouse api`), `fatal` is the log message of a crash.
 */
export function runProcess(
  name: string,
  logger: Logger,
  fatal: string,
  main: () => Promise<boolean>,
): void {
  main().then(
    (clean) => process.exit(clean ? 0 : 1),
    (error: unknown) => {
      if (error instanceof ConfigError) {
        console.error(`${name}: configuration error: ${error.message}`);
      } else if (
        error instanceof SchemaMismatchError ||
        error instanceof DatabaseWaitExpired ||
        error instanceof DatabaseLoginRefused
      ) {
        console.error(`${name}: ${error.message}`);
      } else {
        logger.fatal({ err: error }, fatal);
      }
      process.exit(1);
    },
  );
}
