/**
 * Exit codes and the error a command throws to stop with one line on stderr (no stack trace):
 * mistakes and refusals are answers, not crashes.
 */

/** What `gatehouse` exits with; README documents the same table. */
export const EXIT = {
  ok: 0,
  /** The command ran and the answer is no: an invalid template, an unknown key, a taken e-mail. */
  failed: 1,
  /**
   * The command could not run as given: an unknown command or option, a missing or malformed
   * argument, a file that cannot be read or written, or a file that is not JSON.
   */
  usage: 2,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Stops a command: `message` is printed as one line, the process exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.failed,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
