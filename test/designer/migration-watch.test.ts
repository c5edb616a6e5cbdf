/**
 * A done bulk migration is watched (by the designer; the CLI names the job to re-check) as long
 * as it may still change (workflows/model/bulk-migration.ts `mayStillSettle`): while one of its
 * given-up projects may still settle late (it has failures that were given up, not refused), for
 * one attempt's time; and while a row stands migrated provisionally, however long. The designer
 * looks less often while the answer stays the same (designer/src/logic/migration-watch.ts).
 */
import {
  afterLook,
  LATE_POLL_MAX_MS,
  LATE_POLL_MS,
  latePollDelay,
  type LateLooks,
} from '../../designer/src/logic/migration-watch';
import { MIGRATION_ATTEMPT_SECONDS, mayStillSettle } from '../../workflows/model';

const job = (failed: number, provisional = 0) => ({
  id: 'job-1',
  templateKey: 'tpl',
  version: 2,
  status: 'done' as const,
  total: 3,
  migrated: 3 - failed,
  failed,
  pending: 0,
  settledLate: 0,
  provisional,
  createdAt: '2026-12-05T00:00:00.000Z',
});
const window = MIGRATION_ATTEMPT_SECONDS * 1000;

describe('a done bulk migration', () => {
  it('is watched for one attempt’s time while it has failures', () => {
    expect(mayStillSettle(job(1), 0)).toBe(true);
    expect(mayStillSettle(job(1), window - 1)).toBe(true);
    expect(mayStillSettle(job(1), window)).toBe(false);
  });

  it('is watched only while a failure it knows of was given up, not refused', () => {
    const givenUp = [{ code: 'retries_exhausted' }, { code: 'incompatible_version' }];
    expect(mayStillSettle(job(2), 0, givenUp)).toBe(true);
    expect(mayStillSettle(job(1), 0, [{ code: 'migration_error' }])).toBe(true);
    expect(mayStillSettle(job(1), 0, [{ code: 'incompatible_version' }])).toBe(false);
    expect(mayStillSettle(job(2), window, givenUp)).toBe(false);
  });

  it('is not watched once nothing failed', () => {
    expect(mayStillSettle(job(0), 0)).toBe(false);
  });

  it('is watched while a row stands migrated provisionally, however long, failures or not', () => {
    expect(mayStillSettle(job(0, 1), 0)).toBe(true);
    expect(mayStillSettle(job(0, 1), 10 * window)).toBe(true);
    expect(mayStillSettle(job(1, 2), window, [{ code: 'incompatible_version' }])).toBe(true);
    expect(mayStillSettle(job(0, 0), 0)).toBe(false);
  });
});

describe('the looks at a done bulk migration that may still change', () => {
  it('wait 5 s, doubling while nothing changes, to at most 5 minutes', () => {
    const waits = Array.from({ length: 9 }, (_, n) => latePollDelay(n) / 1000);
    expect(waits).toEqual([5, 10, 20, 40, 80, 160, 300, 300, 300]);
    expect(latePollDelay(10_000)).toBe(LATE_POLL_MAX_MS);
    expect(latePollDelay(-1)).toBe(LATE_POLL_MS);
  });

  it('count each look once, and start again when the answer changes', () => {
    const provisional = job(0, 1);
    let looks: LateLooks | undefined;
    const look = (answer: ReturnType<typeof job>, at: number) => {
      looks = afterLook(looks, answer, at);
      return latePollDelay(looks.unchanged) / 1000;
    };
    expect(look(provisional, 1)).toBe(5);
    // The same look asked about again (TanStack Query asks on every state change): no step.
    expect(look(provisional, 1)).toBe(5);
    expect(look(provisional, 2)).toBe(10);
    expect(look(provisional, 3)).toBe(20);
    expect(look(provisional, 3)).toBe(20);
    expect(look(provisional, 4)).toBe(40);
    // A row settled late, another turned back: any count that moves starts the schedule again.
    expect(look({ ...provisional, settledLate: 1 }, 5)).toBe(5);
    expect(look({ ...provisional, settledLate: 1 }, 6)).toBe(10);
    expect(look(job(1, 0), 7)).toBe(5);
  });

  it('of a tab left open on an idle project: a few hundred a day, not 17,280', () => {
    let looks: LateLooks | undefined;
    let elapsed = 0;
    let count = 0;
    while (elapsed < 86_400_000) {
      looks = afterLook(looks, job(0, 1), elapsed);
      elapsed += latePollDelay(looks.unchanged);
      count += 1;
    }
    expect(count).toBeLessThan(300);
    expect(86_400_000 / LATE_POLL_MS).toBe(17_280);
  });
});
