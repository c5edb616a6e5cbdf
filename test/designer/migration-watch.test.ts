/**
 * A done bulk migration is watched (by the designer; the CLI names the job to re-check) as long
 * as it may still change (workflows/model/bulk-migration.ts `mayStillSettle`): while one of its
 * given-up projects may still settle late (it has failures that were given up, not refused), for
 * one attempt's time; and while a row stands migrated provisionally, however long.
 */
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
