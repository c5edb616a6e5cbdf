/**
 * `gatehouse migrate`, the one job that changes the app database's schema, on SQLite and
 * PostgreSQL: a fresh database gets every migration, a current one is left alone, `--to` rolls
 * back and forward, and a schema from a newer build is refused with one line. The API, the
 * worker and the other commands never migrate: they refuse, with one line, a schema they do not
 * know (none yet, older, newer).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { createDatabase, migrateTo, type Database } from '../../db';
import { migrations } from '../../db/migrations';
import { eachDatabase, type TestDatabase } from '../support/databases';
import { PROJECT_ROOT, startTsEntry } from '../support/processes';

const BIN = path.join(PROJECT_ROOT, 'bin', 'gatehouse.js');
const ALL = Object.keys(migrations).sort();
const LATEST = ALL.at(-1)!;
const FUTURE = '9999_from_a_newer_build';

interface Run {
  code: number | null;
  stdout: string;
  errLines: string[];
}

function gatehouse(databaseUrl: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout, errLines: stderr.split('\n').filter((l) => l !== '') }),
    );
  });
}

/** Runs the API's or the worker's entry until it exits; its stderr lines and exit code. */
async function refusal(entry: 'server/main.ts' | 'worker/main.ts', databaseUrl: string) {
  const child = startTsEntry(entry, entry, {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    API_METRICS_PORT: '0',
    WORKER_METRICS_PORT: '0',
    // Never reached: the schema is checked before Temporal.
    TEMPORAL_ADDRESS: '127.0.0.1:1',
  });
  const exit = await child.exited;
  const stderr = child.describe().split('--- stderr (tail) ---\n')[1] ?? '';
  return { exit, errLines: stderr.split('\n').filter((l) => l.trim() !== '') };
}

describe.each(eachDatabase())('$name', (factory) => {
  let target: TestDatabase;
  let db: Kysely<Database>;
  beforeAll(async () => {
    target = await factory.create();
    db = createDatabase(target.url, { onPoolError: () => undefined });
  });
  afterAll(async () => {
    await db?.destroy();
    await target?.drop();
  });

  it('refuses to run the API, the worker or a command on a database with no schema', async () => {
    const line = 'the app database has no schema yet: run `gatehouse migrate` first';
    expect(await refusal('server/main.ts', target.url)).toEqual({
      exit: { code: 1, signal: null },
      errLines: [`gatehouse api: ${line}`],
    });
    expect(await refusal('worker/main.ts', target.url)).toEqual({
      exit: { code: 1, signal: null },
      errLines: [`gatehouse worker: ${line}`],
    });
    const list = await gatehouse(target.url, 'projects', 'list');
    expect({ code: list.code, errLines: list.errLines }).toEqual({
      code: 1,
      errLines: [`gatehouse: ${line}`],
    });
  });

  it('migrates a fresh database, then finds it up to date', async () => {
    const fresh = await gatehouse(target.url, 'migrate');
    expect({ code: fresh.code, stdout: fresh.stdout, errLines: fresh.errLines }).toEqual({
      code: 0,
      stdout: `applied ${ALL.join(', ')}; the schema is at ${LATEST}\n`,
      errLines: [],
    });
    const again = await gatehouse(target.url, 'migrate');
    expect({ code: again.code, stdout: again.stdout }).toEqual({
      code: 0,
      stdout: `the schema is up to date (${LATEST})\n`,
    });
    // The commands now run.
    expect((await gatehouse(target.url, 'projects', 'list', '--json')).code).toBe(0);
  });

  it('rolls back to a migration and forward again; an older schema is refused meanwhile', async () => {
    const previous = ALL.at(-2)!;
    const back = await gatehouse(target.url, 'migrate', '--to', previous);
    expect({ code: back.code, stdout: back.stdout }).toEqual({
      code: 0,
      stdout: `reverted ${LATEST}\n`,
    });
    expect(await refusal('worker/main.ts', target.url)).toEqual({
      exit: { code: 1, signal: null },
      errLines: [
        `gatehouse worker: the app database schema is older than this build (not applied: ${LATEST}): ` +
          'run `gatehouse migrate` first',
      ],
    });
    const unknown = await gatehouse(target.url, 'migrate', '--to', 'nope');
    expect({ code: unknown.code, errLines: unknown.errLines }).toEqual({
      code: 1,
      errLines: [`gatehouse: no migration "nope" in this build (it knows ${ALL.join(', ')})`],
    });
    const forward = await gatehouse(target.url, 'migrate');
    expect(forward.stdout).toBe(`applied ${LATEST}; the schema is at ${LATEST}\n`);
  });

  it('refuses a schema a newer build migrated: migrate, the API, the worker, with one line', async () => {
    await sql`insert into kysely_migration (name, timestamp) values (${FUTURE}, ${new Date().toISOString()})`.execute(
      db,
    );
    const line =
      `the app database schema is newer than this build (it has ${FUTURE}, which this build ` +
      'does not know): run the build that migrated it, or restore the backup taken before';
    const migrate = await gatehouse(target.url, 'migrate');
    expect({ code: migrate.code, stdout: migrate.stdout, errLines: migrate.errLines }).toEqual({
      code: 1,
      stdout: '',
      errLines: [`gatehouse: ${line}`],
    });
    // Nor does a rollback get past it: the newer build's own down is unknown here.
    expect((await gatehouse(target.url, 'migrate', '--to', ALL[0]!)).errLines).toEqual([
      `gatehouse: ${line}`,
    ]);
    expect(await refusal('server/main.ts', target.url)).toEqual({
      exit: { code: 1, signal: null },
      errLines: [`gatehouse api: ${line}`],
    });
    expect(await refusal('worker/main.ts', target.url)).toEqual({
      exit: { code: 1, signal: null },
      errLines: [`gatehouse worker: ${line}`],
    });
    // The schema is untouched: the newer build's row and ours are all there.
    const { rows } = await sql<{
      name: string;
    }>`select name from kysely_migration order by name`.execute(db);
    expect(rows.map((r) => r.name)).toEqual([...ALL, FUTURE]);
  });
});

it('migrateTo refuses a name the build does not know, before touching the database', async () => {
  const db = createDatabase('sqlite::memory:');
  try {
    await expect(migrateTo(db, '0000_nothing')).rejects.toThrow(/no migration "0000_nothing"/);
  } finally {
    await db.destroy();
  }
});
