/**
 * Record writes fenced by attempt (db/fences.ts), through the real `recordEffects` on both
 * dialects. A workflow task attempt writes its batch and then fails: the history never holds
 * it, and the next attempt writes other content at the same positions. Readers must then see
 * the newer attempt's rows only (audit, inbox, keys, snapshot), an older attempt finishing
 * late must change nothing, and the trail must still verify.
 */
import type { Kysely } from 'kysely';
import { createActivities, type RecordedBatch } from '../../activities';
import {
  findKey,
  getProjectState,
  listAudit,
  listInbox,
  verifyProjectTrail,
  type Database,
} from '../../db';
import { startProject } from '../../workflows/lifecycle';
import { opsIntegratedDelivery, type AuditEntry, type ProjectState } from '../../workflows/model';
import type { KeyRecord } from '../../workflows/model/results';
import { eachDatabase, openMigrated } from '../support/databases';
import { quietLog as quiet } from '../support/record-writes';
import { builtinParticipants } from '../workflows/drive';
import { notification, seedUsers } from './fixtures';

/** An attempt tag as workflows/outbox.ts makes them: run start, history length, task time. */
const tag = (historyLength: number, time: number) =>
  `${'1700000000000'.padStart(15, '0')}${String(historyLength).padStart(10, '0')}${String(time).padStart(15, '0')}`;

describe.each(eachDatabase())('record writes fenced by attempt on $name', (factory) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openMigrated(factory));
    await seedUsers(db);
  });
  afterAll(() => close());

  const base = (id: string): ProjectState =>
    startProject(
      {
        projectId: id,
        name: 'Fenced',
        template: opsIntegratedDelivery,
        version: 1,
        participants: builtinParticipants,
        startedBy: 'u-ann',
      },
      1_000,
    ).machine.state;
  const entry = (id: string, seq: number, action: string, actor = 'u-ann'): AuditEntry => ({
    projectId: id,
    seq,
    at: 2_000 + seq,
    actor,
    action,
  });
  const key = (id: string, scope: string, seq: number): KeyRecord => ({
    projectId: id,
    scope,
    fp: `fp-${scope}`,
    at: Date.now(),
    result: { status: 'active', current: ['inception'], seq },
  });
  /** The batch an attempt sends: audits `seqs`, then the state after them. */
  const batch = (
    state: ProjectState,
    attempt: string,
    audits: AuditEntry[],
    extra: Partial<RecordedBatch> = {},
  ): RecordedBatch => {
    const notifications = extra.notifications ?? [];
    const next = {
      ...state,
      seq: (audits.at(-1)?.seq ?? state.seq - 1) + 1,
      notified: state.notified + notifications.length,
      updatedAt: audits.at(-1)?.at ?? state.updatedAt,
    };
    return {
      attempt,
      from: { seq: audits[0]?.seq ?? state.seq, note: state.notified },
      audits,
      notifications,
      project: next,
      ...(extra.keys && { keys: extra.keys }),
    };
  };

  it('keeps only the newer attempt: audit, inbox, keys and snapshot; the trail verifies', async () => {
    const { recordEffects } = createActivities({ db, log: quiet });
    const id = `fence-${factory.name}-1`;
    const start = base(id);
    const first = tag(10, 5_000);
    await recordEffects(batch(start, first, [entry(id, start.seq, 'project.started')]));
    const after = { ...start, seq: start.seq + 1 };

    // Attempt A: an action and its key, a notification; then its workflow task fails.
    const failed = tag(14, 6_000);
    const phantomNote = notification({ key: `${id}:n${after.notified}`, projectId: id });
    await recordEffects(
      batch(after, failed, [entry(id, after.seq, 'phantom.action', 'u-ben')], {
        keys: [key(id, 'u-ben:phantom', after.seq)],
        notifications: [phantomNote],
      }),
    );
    expect((await findKey(db, id, 'u-ben:phantom', 0))?.settled).toBe(false);

    // Attempt B of the same task: another action got there first, at the same seq.
    const retried = tag(17, 6_400);
    const realNote = notification({
      key: `${id}:n${after.notified}`,
      projectId: id,
      subject: 'the real one',
    });
    const real = batch(after, retried, [entry(id, after.seq, 'real.action', 'u-ann')], {
      keys: [key(id, 'u-ann:real', after.seq)],
      notifications: [realNote],
    });
    await recordEffects(real);

    expect((await listAudit(db, id)).map((e) => [e.seq, e.action])).toEqual([
      [start.seq, 'project.started'],
      [after.seq, 'real.action'],
    ]);
    expect(await findKey(db, id, 'u-ben:phantom', 0)).toBeUndefined();
    expect(await findKey(db, id, 'u-ann:real', 0)).toMatchObject({ fp: 'fp-u-ann:real' });
    const inbox = (await listInbox(db, 'u-ann')).items.filter((i) => i.projectId === id);
    expect(inbox.map((i) => i.subject)).toEqual(['the real one']);
    expect(await getProjectState(db, id)).toEqual(real.project);
    expect(await verifyProjectTrail(db, id)).toEqual({ trail: id, entries: 2, superseded: 1 });

    // A later attempt writes on: B's key is now surely in the history.
    const later = tag(25, 9_000);
    const next = real.project!;
    await recordEffects(batch(next, later, [entry(id, next.seq, 'next.action')]));
    expect((await findKey(db, id, 'u-ann:real', 0))?.settled).toBe(true);
    expect(await verifyProjectTrail(db, id)).toEqual({ trail: id, entries: 3, superseded: 1 });
  });

  it('skips a write of an older attempt that finishes after a newer one', async () => {
    const { recordEffects } = createActivities({ db, log: quiet });
    const id = `fence-${factory.name}-2`;
    const start = base(id);
    await recordEffects(batch(start, tag(3, 100), [entry(id, start.seq, 'project.started')]));
    const after = { ...start, seq: start.seq + 1 };
    const newer = batch(after, tag(9, 700), [entry(id, after.seq, 'newer.action')], {
      keys: [key(id, 'k-newer', after.seq)],
    });
    await recordEffects(newer);
    // The slow old attempt: same seq, other content, a snapshot further ahead.
    const older = batch(
      after,
      tag(6, 400),
      [entry(id, after.seq, 'older.action'), entry(id, after.seq + 1, 'older.more')],
      { keys: [key(id, 'k-older', after.seq)] },
    );
    await recordEffects(older);

    expect((await listAudit(db, id)).map((e) => e.action)).toEqual([
      'project.started',
      'newer.action',
    ]);
    expect(await findKey(db, id, 'k-older', 0)).toBeUndefined();
    expect(await getProjectState(db, id)).toEqual(newer.project);
    expect(await verifyProjectTrail(db, id)).toEqual({ trail: id, entries: 2 });
  });

  it('writes a retried batch of the same attempt once, and a batch after it on top', async () => {
    const { recordEffects } = createActivities({ db, log: quiet });
    const id = `fence-${factory.name}-3`;
    const start = base(id);
    const attempt = tag(3, 100);
    const first = batch(start, attempt, [
      entry(id, start.seq, 'project.started'),
      entry(id, start.seq + 1, 'entered'),
    ]);
    await recordEffects(first);
    await recordEffects(first);
    // The same task's next local activity: same attempt, later position.
    const second = batch(first.project!, attempt, [entry(id, first.project!.seq, 'more')]);
    await recordEffects(second);
    expect((await listAudit(db, id)).map((e) => e.action)).toEqual([
      'project.started',
      'entered',
      'more',
    ]);
    expect(await getProjectState(db, id)).toEqual(second.project);
    expect(await verifyProjectTrail(db, id)).toEqual({ trail: id, entries: 3 });
  });
});
