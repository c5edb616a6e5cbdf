/**
 * Writes that must not simply fail while the database is briefly unavailable, on real
 * PostgreSQL through a role the cluster refuses connections to for a while (SQLSTATE 53300, as
 * when every connection slot is taken):
 * - the settle after a load (workflows/outbox.ts) is a sink, which the workflow cannot retry:
 *   the worker tries it again, and the read model then holds the settled state;
 * - a webhook that went out must be recorded as sent: failing the activity would send it again
 *   on the retry, so the record is tried again within the activity.
 */
import { Client } from 'pg';
import type { Kysely } from 'kysely';
import { createActivities } from '../../activities';
import { createDatabase, getProjectState, wasDelivered, type Database } from '../../db';
import { startProject } from '../../workflows/lifecycle';
import { opsIntegratedDelivery } from '../../workflows/model';
import { recordSinks } from '../../worker/create-worker';
import { databaseFactory, openMigrated, TEST_POSTGRES_URL } from '../support/databases';
import { eventually } from '../server/drive-http';
import { builtinParticipants } from '../workflows/drive';
import { startWebhookSink } from '../support/webhook-sink';
import { notification, seedUsers } from './fixtures';

const role = `gh_settle_${process.pid}`;
let db: Kysely<Database>;
let url: string;
let close: () => Promise<void>;
let admin: Client;

beforeAll(async () => {
  ({ db, url, close } = await openMigrated(databaseFactory('postgres')));
  await seedUsers(db);
  admin = new Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create role ${role} login connection limit 0`);
  await admin.query(`grant all on all tables in schema public to ${role}`);
  await admin.query(`grant all on all sequences in schema public to ${role}`);
});
afterAll(async () => {
  await admin.end();
  await close();
  const cluster = new Client({ connectionString: TEST_POSTGRES_URL });
  await cluster.connect();
  await cluster.query(`drop role if exists ${role}`);
  await cluster.end();
});

it('tries a settle again while the database refuses connections, then lands it', async () => {
  const limited = new URL(url);
  limited.username = role;
  const refused = createDatabase(limited.toString());
  const logged: { level: string; message: string }[] = [];
  const log = {
    warn: (message: string) => logged.push({ level: 'warn', message }),
    error: (message: string) => logged.push({ level: 'error', message }),
  };
  try {
    const sinks = recordSinks(createActivities({ db: refused }), log);
    const { state } = startProject(
      {
        projectId: 'settle-1',
        name: 'Settled late',
        template: opsIntegratedDelivery,
        version: 1,
        participants: builtinParticipants,
        startedBy: 'u-ann',
      },
      1_000,
    ).machine;
    const { settle } = sinks.records;
    void settle.fn(undefined as never, {
      attempt: '1'.padStart(40, '0'),
      from: { seq: state.seq, note: state.notified },
      audits: [],
      notifications: [],
      project: state,
    });
    await eventually(
      'the settle to fail once',
      () => Promise.resolve(logged),
      (l) => l.length > 0,
    );
    expect(logged[0]).toMatchObject({ level: 'warn', message: expect.stringMatching(/again/) });
    expect(await getProjectState(db, 'settle-1')).toBeUndefined();
    await admin.query(`alter role ${role} connection limit -1`);
    const settled = await eventually(
      'the settled state in the read model',
      () => getProjectState(db, 'settle-1'),
      (stored) => stored !== undefined,
    );
    expect(settled).toEqual(state);
    expect(logged.filter((l) => l.level === 'error')).toEqual([]);
  } finally {
    await refused.destroy();
  }
});

it('records a webhook that went out even when the database refused the first tries', async () => {
  const limited = new URL(url);
  limited.username = role;
  await admin.query(`alter role ${role} connection limit -1`);
  const flaky = createDatabase(limited.toString());
  const sink = await startWebhookSink();
  const warnings: string[] = [];
  const log = {
    info: () => undefined,
    warn: (message: string) => void warnings.push(message),
  };
  try {
    // The sink answers after a pause; meanwhile the role is cut off and refused.
    sink.respondWith(200, 1_500);
    const n = notification({ projectId: 'settle-1' });
    const delivery = createActivities({ db: flaky, webhookUrl: sink.url, log }).deliverWebhook(n);
    await eventually(
      'the webhook to arrive',
      () => Promise.resolve(sink.received.length),
      (count) => count === 1,
    );
    await admin.query(`alter role ${role} connection limit 0`);
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where usename = $1', [
      role,
    ]);
    await eventually(
      'a failed record of the delivery',
      () => Promise.resolve(warnings),
      (w) => w.length > 0,
    );
    expect(warnings[0]).toMatch(/webhook sent but not yet recorded/);
    await admin.query(`alter role ${role} connection limit -1`);
    expect(await delivery).toEqual({ delivered: true });
    expect(sink.received).toHaveLength(1);
    expect(await wasDelivered(db, n.key, 'webhook')).toBe(true);
  } finally {
    await sink.close();
    await flaky.destroy();
  }
});
