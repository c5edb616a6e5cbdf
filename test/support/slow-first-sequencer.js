/**
 * Jest's order, with the suite's longest files first. Jest runs the files it timed before
 * longest first, and files it never timed (every CI run: a fresh clone has no timing cache) by
 * size, so a long test in a small file, such as the fresh clone's `npm ci`, started near the end
 * and left one worker running it alone. Measured in a CI run; a file listed here that is gone
 * is simply not found.
 */
const Sequencer = require('@jest/test-sequencer').default;

/**
 * Longest first (seconds of one CI run on 2 cores, December 5, beside the other worker's files
 * and the proof).
 */
const LONGEST = [
  'server/bulk-migration-settle.test.ts', // ~100 s
  'start/fresh-clone.test.ts', // ~95 s: npm ci and a first start in a copy of the repo
  'browser/migration-provisional.test.ts', // waits for its backoff by design
  'server/authz.test.ts',
  'cli/migrate.test.ts',
  'server/live-updates.test.ts',
  'server/trust-idempotency.test.ts',
  'browser/first-run.test.ts',
  'scale/bulk-migration.test.ts', // a worker killed midway
  'start/start.test.ts',
  'cli/cli.test.ts',
  'workflows/worker-crash.test.ts', // a worker SIGKILLed
];

class SlowFirstSequencer extends Sequencer {
  /** @param {import('@jest/test-result').Test[]} tests */
  async sort(tests) {
    const sorted = await super.sort(tests);
    /** @param {import('@jest/test-result').Test} test */
    const rank = (test) => {
      const at = LONGEST.findIndex((name) => test.path.endsWith(`/test/${name}`));
      return at === -1 ? LONGEST.length : at;
    };
    // Array.prototype.sort is stable: the rest keep Jest's order.
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = SlowFirstSequencer;
