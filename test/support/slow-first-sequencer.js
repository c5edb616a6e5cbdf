/**
 * Jest's order, with the suite's longest files first. Jest runs the files it timed before
 * longest first, and files it never timed (every CI run: a fresh clone has no timing cache) by
 * size, so a long test in a small file, such as the fresh clone's `npm ci`, started near the end
 * and left one worker running it alone. Measured in a CI run; a file listed here that is gone
 * is simply not found.
 */
const Sequencer = require('@jest/test-sequencer').default;

/** Longest first (seconds of one full run on 2 cores, December 5, beside the other worker's files). */
const LONGEST = [
  'start/fresh-clone.test.ts', // ~160 s: npm ci and a first start in a copy of the repo
  'server/bulk-migration-settle.test.ts', // ~130 s
  'scale/bulk-migration.test.ts', // ~100 s: a worker killed midway
  'workflows/worker-crash.test.ts', // ~100 s: a worker SIGKILLed
  'server/authz.test.ts',
  'browser/migration-provisional.test.ts', // waits for its backoff by design
  'server/trust-records.test.ts',
  'browser/first-run.test.ts',
  'cli/migrate.test.ts',
  'server/live-updates.test.ts',
  'browser/workspace-views.test.ts',
  'start/start.test.ts',
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
