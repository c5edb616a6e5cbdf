/** Runs one `gatehouse` invocation and turns every way it can end into an exit code. */
import { CommanderError } from 'commander';
import { CliError, EXIT } from './errors';
import { buildProgram } from './program';

/** `args` without node and the script; resolves with the exit code, never rejects. */
export async function runCli(args: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(args, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its message (or the help) already. Help and --version end in 0;
      // everything else it rejects is a usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliError) {
      console.error(`gatehouse: ${error.message}`);
      return error.exitCode;
    }
    // The system's own errors (a refused connection, a locked file) speak for themselves;
    // anything else is a bug, whose stack is worth reporting.
    if (error instanceof Error && isSystemError(error)) {
      console.error(`gatehouse: ${error.message}`);
    } else {
      console.error('gatehouse: unexpected error:', error);
    }
    return EXIT.failed;
  }
}

/** An error with a system or database code (ECONNREFUSED, 28P01, …), or caused by one. */
function isSystemError(error: Error): boolean {
  if (typeof (error as NodeJS.ErrnoException).code === 'string') return true;
  return error.cause instanceof Error && isSystemError(error.cause);
}
