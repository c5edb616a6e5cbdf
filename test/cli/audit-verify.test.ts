/**
 * `gatehouse audit verify` names the first entry someone changed directly in the database, on
 * SQLite and on PostgreSQL; and on PostgreSQL with production roles (an owner that migrates,
 * an app role that the API and workers use, README "Production deployment") the app's role
 * cannot change or remove audit rows at all.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteAdapter, sql, type Kysely } from 'kysely';
import { Client } from 'pg';
import { appendAudit, createDatabase, migrateToLatest, type Database } from '../../db';
import type { AuditEntry } from '../../workflows/model/state';
import { TEST_POSTGRES_URL } from '../support/databases';
import { runGatehouse } from './spawn';

const entries = (projectId: string): AuditEntry[] =>
  [1, 2, 3].map((seq) => ({
    projectId,
    seq,
    at: 1_700_000_000_000 + seq,
    actor: seq === 2 ? 'u-ops-manager' : 'u-pm',
    action: seq === 2 ? 'gate.signed' : 'deliverable.submitted',
    ...(seq === 2 && { detail: { decision: 'kill' } }),
  }));

async function verify(url: string, ...project: string[]) {
  return runGatehouse({ ...process.env, DATABASE_URL: url }, 'audit', 'verify', ...project);
}

describe('on SQLite', () => {
  let dir: string;
  let url: string;
  let db: Kysely<Database>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-audit-'));
    url = `sqlite:${path.join(dir, 'app.db')}`;
    db = createDatabase(url);
    await migrateToLatest(db);
    await appendAudit(db, [...entries('p-kept'), ...entries('p-edited')]);
  });
  afterAll(async () => {
    await db?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('names the edited entry, and only that trail', async () => {
    const clean = await verify(url);
    expect(clean).toMatchObject({ code: 0, stderr: '' });
    expect(clean.stdout.split('\n')).toEqual([
      'ok: project p-edited (3 entries)',
      'ok: project p-kept (3 entries)',
      'ok: admin trail (0 entries)',
      '',
    ]);
    // Someone with the file turns the ops manager's kill into a go.
    await editBypassingTriggers(db, `update audit_entries set detail = '{"decision":"go"}'`);
    const [all, one, kept, unknown] = await Promise.all([
      verify(url),
      verify(url, 'p-edited'),
      verify(url, 'p-kept'),
      verify(url, 'p-unknown'),
    ]);
    expect(all.code).toBe(1);
    expect(all.stdout).toContain(
      'broken: project p-edited: entry 2: its content does not match its hash (the entry was edited)',
    );
    expect(all.stdout).toContain('ok: project p-kept (3 entries)');
    expect(all.errLines).toEqual(['gatehouse: 1 audit trail is broken: p-edited at entry 2']);
    expect(one.code).toBe(1);
    expect(kept).toMatchObject({ code: 0, stdout: 'ok: project p-kept (3 entries)\n' });
    expect(unknown.code).toBe(1);
    expect(unknown.errLines).toEqual(['gatehouse: project p-unknown has no audit trail']);
  });
});

describe('on PostgreSQL with production roles', () => {
  const suffix = randomBytes(4).toString('hex');
  const database = `gh_audit_${suffix}`;
  const owner = `gh_owner_${suffix}`;
  const app = `gh_app_${suffix}`;
  const urlAs = (role: string) => {
    const url = new URL(TEST_POSTGRES_URL);
    url.username = role;
    url.password = '';
    url.pathname = `/${database}`;
    return url.toString();
  };
  const superuserUrl = () => {
    const url = new URL(TEST_POSTGRES_URL);
    url.pathname = `/${database}`;
    return url.toString();
  };

  beforeAll(async () => {
    await admin(TEST_POSTGRES_URL, [
      `create role ${owner} login`,
      `create role ${app} login`,
      `create database ${database} owner ${owner}`,
    ]);
    // The owner runs `gatehouse migrate`; the app role gets the grants README lists.
    const asOwner = createDatabase(urlAs(owner));
    await migrateToLatest(asOwner);
    await sql.raw(appRoleGrants(app)).execute(asOwner);
    await asOwner.destroy();
  });
  afterAll(async () => {
    await admin(TEST_POSTGRES_URL, [
      `drop database if exists ${database} with (force)`,
      `drop role if exists ${app}`,
      `drop role if exists ${owner}`,
    ]);
  });

  it("refuses the app role's edits, and names an edit made around it", async () => {
    const asApp = createDatabase(urlAs(app));
    const asOwner = createDatabase(urlAs(owner));
    try {
      await appendAudit(asApp, entries('p-pg'));
      const attempts = [
        `update audit_entries set actor = 'u-mallory' where seq = 2`,
        'delete from audit_entries where seq = 3',
        'truncate audit_entries',
      ];
      for (const statement of attempts) {
        await expect(sql.raw(statement).execute(asApp)).rejects.toThrow(/permission denied/);
        // Even the owner meets the trigger.
        await expect(sql.raw(statement).execute(asOwner)).rejects.toThrow(
          /append-only|permission denied/,
        );
      }
      await expect(sql`delete from admin_audit`.execute(asApp)).rejects.toThrow(
        /permission denied/,
      );
      expect((await verify(urlAs(app), 'p-pg')).stdout).toBe('ok: project p-pg (3 entries)\n');
      // A superuser can skip triggers for a session: the chain still tells.
      await admin(superuserUrl(), [
        'set session_replication_role = replica',
        `update audit_entries set actor = 'u-mallory' where project_id = 'p-pg' and seq = 2`,
      ]);
      const broken = await verify(urlAs(app), 'p-pg');
      expect(broken.code).toBe(1);
      expect(broken.stdout).toBe(
        'broken: project p-pg: entry 2: its content does not match its hash (the entry was edited)\n',
      );
    } finally {
      await asApp.destroy();
      await asOwner.destroy();
    }
  });
});

/** The grants of the API's and workers' role (README "Production deployment"). */
function appRoleGrants(role: string): string {
  return `
    grant usage on schema public to ${role};
    grant select, insert, update, delete on all tables in schema public to ${role};
    revoke update, delete, truncate on audit_entries, audit_voids, admin_audit from ${role};`;
}

async function admin(url: string, statements: string[]): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

/** What someone holding the SQLite file can do: drop the triggers, edit, put them back. */
async function editBypassingTriggers(db: Kysely<Database>, update: string): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) throw new Error('SQLite only');
  await db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ name: string; sql: string }>`
      select name, sql from sqlite_master
      where type = 'trigger' and tbl_name = 'audit_entries'`.execute(trx);
    for (const t of rows) await sql.raw(`drop trigger ${t.name}`).execute(trx);
    await sql.raw(`${update} where project_id = 'p-edited' and seq = 2`).execute(trx);
    for (const t of rows) await sql.raw(t.sql).execute(trx);
  });
}
