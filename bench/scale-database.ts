/**
 * The app databases of the `scale` bench: a fresh SQLite file or PostgreSQL database per
 * portfolio, migrated as `gatehouse migrate` does.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { Client } from 'pg';
import { createDatabase } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import type { Database } from '../db/schema';

export interface ScaleDatabase {
  name: 'sqlite' | 'postgres';
  db: Kysely<Database>;
  /** Gathers the planner's statistics, as a database that grew over time has them. */
  analyze: () => Promise<void>;
  close: () => Promise<void>;
}

/** The PostgreSQL server's admin database (BENCH_POSTGRES_URL; default: local `test`). */
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let opened = 0;

export async function openScaleDatabase(name: ScaleDatabase['name']): Promise<ScaleDatabase> {
  let url: string;
  let drop: () => Promise<void>;
  if (name === 'sqlite') {
    const dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-scale-'));
    url = `sqlite:${path.join(dir, 'gatehouse.db')}`;
    drop = () => rm(dir, { recursive: true, force: true });
  } else {
    // One database per portfolio: the bench keeps every size open at once.
    const database = `gatehouse_scale_${process.pid}_${++opened}`;
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin(`CREATE DATABASE ${database}`);
    const target = new URL(ADMIN_URL);
    target.pathname = `/${database}`;
    url = target.toString();
    drop = () => admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
  // Seeded through the worker's write path, opened as the worker opens it (worker/main.ts).
  const db = createDatabase(url, { backgroundCheckpoints: true });
  await migrateToLatest(db);
  return {
    name,
    db,
    analyze: async () => {
      await sql`analyze`.execute(db);
    },
    close: async () => {
      await db.destroy();
      await drop();
    },
  };
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
