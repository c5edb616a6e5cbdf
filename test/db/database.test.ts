import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { checkDatabase, createDatabase, parseDatabaseUrl } from '../../db/database';
import { eachDatabase, openMigrated } from '../support/databases';

describe('parseDatabaseUrl', () => {
  it.each([
    ['sqlite:./data/x.db', './data/x.db'],
    ['sqlite::memory:', ':memory:'],
    ['sqlite:///var/lib/gatehouse.db', '/var/lib/gatehouse.db'],
    ['sqlite://./rel.db', './rel.db'],
    ['./plain/file.db', './plain/file.db'],
    ['/abs/file.db', '/abs/file.db'],
  ])('%s is the SQLite file %s', (url, filename) => {
    expect(parseDatabaseUrl(url)).toEqual({ dialect: 'sqlite', filename });
  });

  it.each(['postgres://u@h:5432/db', 'postgresql://u:p@h/db?sslmode=require'])(
    '%s is PostgreSQL',
    (url) => {
      expect(parseDatabaseUrl(url)).toEqual({ dialect: 'postgres', connectionString: url });
    },
  );

  it('rejects other schemes and empty names', () => {
    expect(() => parseDatabaseUrl('mysql://h/db')).toThrow(/unsupported database URL scheme/);
    expect(() => parseDatabaseUrl('sqlite:')).toThrow(/no SQLite file/);
    expect(() => parseDatabaseUrl('  ')).toThrow(/no SQLite file/);
  });
});

describe('createDatabase with SQLite', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-sqlite-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates missing folders and turns on WAL, foreign keys and a busy timeout', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'app.db');
    const db = createDatabase(`sqlite:${file}`);
    try {
      await checkDatabase(db);
      expect((await stat(file)).isFile()).toBe(true);
      const pragma = async (name: string) =>
        (await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(db)).rows[0];
      expect(await pragma('journal_mode')).toEqual({ journal_mode: 'wal' });
      expect(await pragma('foreign_keys')).toEqual({ foreign_keys: 1 });
      expect(await pragma('busy_timeout')).toEqual({ timeout: 5000 });
    } finally {
      await db.destroy();
    }
  });

  it('opens an in-memory database', async () => {
    const db = createDatabase('sqlite::memory:');
    try {
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db);
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await db.destroy();
    }
  });
});

describe.each(eachDatabase())('createDatabase with $name', (factory) => {
  it('reads bigint epoch milliseconds back as numbers', async () => {
    const { db, close } = await openMigrated(factory);
    try {
      const at = Date.UTC(2030, 0, 1, 12, 0, 0, 123);
      await db
        .insertInto('notification_deliveries')
        .values({ key: 'k', channel: 'email', delivered_at: at })
        .execute();
      const row = await db
        .selectFrom('notification_deliveries')
        .select('delivered_at')
        .executeTakeFirstOrThrow();
      expect(row.delivered_at).toBe(at);
    } finally {
      await close();
    }
  });
});

describe('createDatabase with PostgreSQL down', () => {
  it('fails the readiness check instead of hanging', async () => {
    // Port 1 is never a PostgreSQL server: the connection is refused at once.
    const db = createDatabase('postgres://postgres@127.0.0.1:1/none');
    try {
      await expect(checkDatabase(db)).rejects.toThrow(/ECONNREFUSED|connect/);
    } finally {
      await db.destroy();
    }
  });
});
