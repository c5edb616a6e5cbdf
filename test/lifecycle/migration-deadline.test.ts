/**
 * The `migrate` rule's deadline (patch "migration-deadline"), pure: a command whose `notAfter`
 * is before the decision's time is refused `migration_expired` and changes nothing; at or
 * before it, or without it, the project migrates; an Update recorded before the patch
 * (`migrationDeadline: false`) is decided as it was then. And the deadline a bulk migration's
 * attempt sends: its start-to-close, within its schedule-to-close. And the key record a
 * project stores for a job's applied `migrate`, which its record write settles the job by.
 */
import { attemptDeadline } from '../../activities/migration';
import { decide } from '../../workflows/lifecycle';
import { budgetedOptions } from '../../workflows/migration-budget';
import { Simulator } from '../../workflows/lifecycle/simulation';
import {
  bulkMigrationKey,
  bulkMigrationRecord,
  INPUT_REVISION,
  MIGRATION_ATTEMPT_SECONDS,
} from '../../workflows/model';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { unitProject } from '../fixtures/unit-project';

const v2 = { ...miniTemplate, name: 'Mini v2' };
const actor = { userId: 'pmo-1', pmo: true };
const migrate = (notAfter?: number) => ({
  type: 'migrate' as const,
  actor,
  version: 2,
  template: v2,
  ...(notAfter !== undefined && { notAfter: new Date(notAfter).toISOString() }),
});

describe('a migrate past its notAfter', () => {
  const sim = new Simulator(miniTemplate, { participants: miniParticipants, ...unitProject });
  const { machine, now } = sim;

  it('is refused, naming the field, and moves nothing', () => {
    const late = decide(machine, migrate(now - 1), now);
    expect(late).toMatchObject({
      ok: false,
      rejection: { code: 'migration_expired', path: ['notAfter'] },
    });
    expect(machine.state.template.version).toBe(1);
  });

  it('migrates up to its notAfter, and without one', () => {
    for (const command of [migrate(now), migrate(now + 1), migrate()]) {
      const decision = decide(machine, command, now);
      expect(decision.ok && decision.machine.state.template).toEqual({ key: 'mini', version: 2 });
    }
  });

  it('migrates as recorded when the Update was applied before the patch', () => {
    const decision = decide(machine, migrate(now - 60_000), now, { migrationDeadline: false });
    expect(decision.ok && decision.machine.state.template.version).toBe(2);
  });
});

describe("a bulk migration attempt's deadline", () => {
  const info = {
    scheduledTimestampMs: 1_000_000,
    currentAttemptScheduledTimestampMs: 1_060_000,
    startToCloseTimeoutMs: 300_000,
    scheduleToCloseTimeoutMs: 1_800_000,
  };

  it("is the attempt's start-to-close from its scheduled time", () => {
    expect(attemptDeadline(info)).toBe(1_360_000);
  });

  it("is never past the budget's schedule-to-close", () => {
    expect(attemptDeadline({ ...info, scheduleToCloseTimeoutMs: 200_000 })).toBe(1_200_000);
  });

  it('is at most MIGRATION_ATTEMPT_SECONDS after the attempt starts', () => {
    expect(budgetedOptions(undefined).startToCloseTimeout).toBe('5m');
    expect(MIGRATION_ATTEMPT_SECONDS).toBe(5 * 60);
  });

  it('is the start-to-close alone when the job has no schedule-to-close', () => {
    expect(attemptDeadline({ ...info, scheduleToCloseTimeoutMs: 0 })).toBe(1_360_000);
  });
});

describe("a bulk migration's applied Update", () => {
  it('stores the key record the record write knows the job by', () => {
    const sim = new Simulator(miniTemplate, { participants: miniParticipants, ...unitProject });
    const { machine, now } = sim;
    const command = {
      ...migrate(now + 60_000),
      rev: INPUT_REVISION,
      idempotencyKey: bulkMigrationKey('job-1', machine.state.id),
    } as const;
    const decision = decide(machine, command, now);
    const job = { jobId: 'job-1', userId: actor.userId, version: 2 };
    expect(decision.ok && decision.effects.keys).toEqual([
      expect.objectContaining(bulkMigrationRecord(job, machine.state.id)),
    ]);
    const otherJob = bulkMigrationRecord({ ...job, jobId: 'job-2' }, machine.state.id);
    expect(decision.ok && decision.effects.keys[0]?.scope).not.toBe(otherJob.scope);
  });
});
