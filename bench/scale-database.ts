/**
 * The app databases of the `scale` bench: a SQLite file or PostgreSQL database per portfolio,
 * migrated as `gatehouse migrate` does. Fresh and dropped afterwards by default; with `--keep
 * DIR` kept once seeded, so a later run measures the same portfolio again without seeding it
 * (at 100,000 projects the seeding takes far longer than the measurements).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { Client } from 'pg';
import { createDatabase } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import type { Database } from '../db/schema';

export type ScaleDatabaseName = 'sqlite' | 'postgres';

export interface ScaleDatabase {
  name: ScaleDatabaseName;
  db: Kysely<Database>;
  /** When a kept database already holds this portfolio: how long an earlier run took to seed it. */
  seededMs: number | undefined;
  /** Gathers the planner's statistics, as a database that grew over time has them. */
  analyze: () => Promise<void>;
  /** Records that the portfolio is complete, so a later run with `--keep` may reuse it. */
  markSeeded: (seedMs: number) => Promise<void>;
  close: () => Promise<void>;
}

/** Where kept portfolios live, and what they must have been seeded from to be reused. */
export interface Keep {
  dir: string;
  size: number;
  /** Names the portfolio's content (the seed's prototypes): another one is seeded afresh. */
  fingerprint: string;
}

/** The PostgreSQL server's admin database (BENCH_POSTGRES_URL; default: local `test`). */
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let opened = 0;

export async function openScaleDatabase(
  name: ScaleDatabaseName,
  keep?: Keep,
): Promise<ScaleDatabase> {
  const marker = keep && path.join(keep.dir, `${name}-${keep.size}.seeded`);
  const earlier = marker === undefined ? undefined : await seededWith(marker);
  const seededMs = earlier?.fingerprint === keep?.fingerprint ? earlier?.seedMs : undefined;
  const seeded = seededMs !== undefined;
  let url: string;
  let drop: () => Promise<void>;
  if (name === 'sqlite') {
    const dir = keep ? keep.dir : await mkdtemp(path.join(tmpdir(), 'gatehouse-scale-'));
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, keep ? `sqlite-${keep.size}.db` : 'gatehouse.db');
    if (keep && !seeded) {
      for (const suffix of ['', '-wal', '-shm']) await rm(`${file}${suffix}`, { force: true });
    }
    url = `sqlite:${file}`;
    drop = () => (keep ? Promise.resolve() : rm(dir, { recursive: true, force: true }));
  } else {
    // One database per portfolio: the bench keeps every size open at once.
    const database = keep
      ? `gatehouse_scale_keep_${keep.size}`
      : `gatehouse_scale_${process.pid}_${++opened}`;
    if (!seeded) {
      await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin(`CREATE DATABASE ${database}`);
    }
    const target = new URL(ADMIN_URL);
    target.pathname = `/${database}`;
    url = target.toString();
    drop = () =>
      keep ? Promise.resolve() : admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
  if (marker && !seeded) await rm(marker, { force: true });
  // Seeded through the worker's write path, opened as the worker opens it (worker/main.ts).
  const db = createDatabase(url, { backgroundCheckpoints: true });
  await migrateToLatest(db);
  return {
    name,
    db,
    seededMs,
    analyze: async () => {
      await sql`analyze`.execute(db);
    },
    markSeeded: async (seedMs) => {
      if (marker)
        await writeFile(marker, JSON.stringify({ fingerprint: keep.fingerprint, seedMs }));
    },
    close: async () => {
      await db.destroy();
      await drop();
    },
  };
}

/** What a kept portfolio was completed with; undefined when it never was. */
async function seededWith(
  marker: string,
): Promise<{ fingerprint: string; seedMs: number } | undefined> {
  if (!existsSync(marker)) return undefined;
  const recorded = JSON.parse(await readFile(marker, 'utf8')) as Record<string, unknown>;
  const { fingerprint, seedMs } = recorded;
  return typeof fingerprint === 'string' && typeof seedMs === 'number'
    ? { fingerprint, seedMs }
    : undefined;
}

async function admin(statement: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
