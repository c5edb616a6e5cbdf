/**
 * Background WAL checkpoints (db/checkpointer.ts): the writing connection leaves checkpoints
 * to a thread, which moves the log into the database file while the writer goes on, and stops
 * with the database.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createDatabase } from '../../db/database';

/** Rows of about 4 KiB: one page each, so 1,500 of them fill 1,500+ pages of log. */
const ROWS = 1_500;
const PAYLOAD = 'x'.repeat(4_000);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-checkpoint-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes ROWS rows, each in its own transaction, as record writes do. */
async function writeRows(
  background: boolean,
): Promise<{ fileBytes: number; autocheckpoint: number }> {
  const file = path.join(dir, `${String(background)}.db`);
  const errors: string[] = [];
  const db = createDatabase(`sqlite:${file}`, {
    backgroundCheckpoints: background,
    onCheckpointError: (message) => errors.push(message),
  });
  try {
    await sql`create table t (id integer primary key, body text)`.execute(db);
    for (let i = 0; i < ROWS; i++) {
      await db
        .transaction()
        .execute((trx) => sql`insert into t (body) values (${PAYLOAD})`.execute(trx));
    }
    const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(
      db,
    );
    // The thread checkpoints every half second: give it two.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(errors).toEqual([]);
    // Measured while open: closing the last connection checkpoints whatever is left.
    return { fileBytes: (await stat(file)).size, autocheckpoint: rows[0]!.wal_autocheckpoint };
  } finally {
    await db.destroy();
  }
}

it("moves the log into the database file from a thread, not in the writer's commits", async () => {
  // By default the writer checkpoints itself at 1,000 pages: the file holds what was
  // checkpointed then, the rest sits in the log.
  const own = await writeRows(false);
  expect(own.autocheckpoint).toBe(1_000);
  expect(own.fileBytes).toBeLessThan(ROWS * PAYLOAD.length);
  // With the thread, the writer's own threshold is far above what was written, yet the
  // database file holds every row.
  const background = await writeRows(true);
  expect(background.autocheckpoint).toBe(10_000);
  expect(background.fileBytes).toBeGreaterThan(ROWS * PAYLOAD.length);
}, 60_000);
