/**
 * Entry of the `gatehouse` command (bin/gatehouse.js loads it through tsx). An exit code is set,
 * never forced: the process commands (start, api, worker) keep running after their import.
 */
import { runCli } from './run';

void runCli(process.argv.slice(2)).then((code) => {
  if (code !== 0) process.exitCode = code;
});
