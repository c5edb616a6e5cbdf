/**
 * A rolling upgrade over 0035_name_folds, on both dialects: the build before it, which knows no
 * `name_folded`, still writes projects and users on the new schema, and those rows are folded
 * by the catch-up (db/name-fold-upgrade.ts) that `gatehouse migrate` and each worker's start
 * run. The old build's writes are its own SQL: every column but `name_folded`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { createDatabase } from '../../db/database';
import { searchUsers } from '../../db/directory';
import { migrateToLatest } from '../../db/migrate';
import { foldName } from '../../db/name-fold';
import { catchUpNameFolds } from '../../db/name-fold-upgrade';
import { nameSample } from '../../db/name-trigrams';
import { listProjects } from '../../db/projects';
import type { Database } from '../../db/schema';
import { insertUser } from '../../db/users';
import { eachDatabase, openMigrated } from '../support/databases';

/** The record write of the build before 0035 (db/projects.ts upsertSnapshot, forced). */
async function oldUpsert(db: Kysely<Database>, id: string, name: string, seq: number) {
  await sql`
    insert into projects (id, name, template_key, template_version, status, current,
      started_by, started_at, updated_at, ended_at, seq, state, attempt, progress, actions_of,
      stage, stage_since, hypercare_due, over_budget)
    values (${id}, ${name}, 'mini', 1, 'active', '[]', 'pmo', ${1_000 + seq}, ${1_000 + seq},
      null, ${seq}, '{}', null, null, null, null, null, null, 0)
    on conflict (id) do update set name = excluded.name, seq = excluded.seq,
      updated_at = excluded.updated_at, state = excluded.state`.execute(db);
}

/** A project of this build: its name folded with it. */
async function newProject(db: Kysely<Database>, id: string, name: string) {
  await sql`
    insert into projects (id, name, name_folded, template_key, template_version, status,
      current, started_by, started_at, updated_at, seq, state, over_budget)
    values (${id}, ${name}, ${foldName(name)}, 'mini', 1, 'active', '[]', 'pmo', 1, 1, 1,
      '{}', 0)`.execute(db);
}

describe.each(eachDatabase())('a rolling upgrade over the folded names on $name', (factory) => {
  let db: Kysely<Database>;
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, url, close } = await openMigrated(factory));
  });
  afterAll(() => close());
  beforeEach(async () => {
    await sql`delete from projects`.execute(db);
    await sql`delete from users`.execute(db);
  });

  const search = async (q: string) => (await listProjects(db, { q })).items.map((p) => p.id);
  const people = async (q: string) => (await searchUsers(db, { q })).items.map((u) => u.id);
  /** SQLite: the projects the FTS5 table finds for `text`, as the name search asks it. */
  const ftsFinds = async (text: string) =>
    (
      await sql<{ project_id: string }>`
        select r.project_id from project_names f
        join project_name_rows r on r.fts_rowid = f.rowid
        where project_names match ${`"${text}"`} order by r.project_id`.execute(db)
    ).rows.map((r) => r.project_id);

  /** What the old build writes meanwhile: two new projects, a rename, a user and a rename. */
  async function oldBuildWrites(): Promise<void> {
    // Enough names of this build that SQLite reads a rare text from the FTS5 candidates.
    for (let i = 0; i < 20; i += 1) await newProject(db, `f${i}`, `Filler ${i}`);
    await oldUpsert(db, 'p1', 'Übergabe an den Betrieb', 1);
    await oldUpsert(db, 'p2', 'Σχέδιο ΟΔΟΣ', 1);
    await newProject(db, 'p3', 'Alpha rollout');
    await oldUpsert(db, 'p3', 'Été Nord', 2);
    await sql`
      insert into users (id, name, email, pmo, admin, created_at)
      values ('u-emile', 'Émile Zola', 'emile@example.test', 0, 0, 1)`.execute(db);
    await insertUser(db, { id: 'u-old', name: 'Ann Old', email: 'ann@example.test' });
    await sql`update users set name = 'Ørjan Ås' where id = 'u-old'`.execute(db);
  }

  it('takes the old build’s writes, which are found by name once caught up', async () => {
    await oldBuildWrites();
    // Not folded yet: not found (nor crashing the search, the directory or the sample).
    expect(await search('ÜBERGABE')).toEqual([]);
    expect(await search('été nord')).toEqual([]);
    expect(await people('émile')).toEqual([]);
    expect(await people('')).toEqual(['u-old']);
    if (factory.name === 'sqlite') expect(await ftsFinds('übergabe')).toEqual([]);

    expect(await catchUpNameFolds(db)).toEqual({ projects: 3, users: 2 });
    expect(await search('ÜBERGABE')).toEqual(['p1']);
    expect(await search('σχέδιο οδος')).toEqual(['p2']);
    expect(await search('ÉTÉ NORD')).toEqual(['p3']);
    expect(await search('alpha')).toEqual([]);
    expect(await people('ÉMILE')).toEqual(['u-emile']);
    expect(await people('øRJAN')).toEqual(['u-old']);
    if (factory.name === 'sqlite') {
      // The FTS5 table follows the folded names (0035's triggers): the repaired rows are in it.
      expect(await ftsFinds('übergabe')).toEqual(['p1']);
      expect(await ftsFinds('été nord')).toEqual(['p3']);
      expect(await ftsFinds('alpha')).toEqual([]);
    }
    // Nothing behind any more.
    expect(await catchUpNameFolds(db)).toEqual({ projects: 0, users: 0 });
  });

  it('is run by `gatehouse migrate`, which says what it folded', async () => {
    await oldBuildWrites();
    const said: string[] = [];
    await migrateToLatest(db, undefined, (line) => said.push(line));
    // (Its open actions also say that these rows' stored states, `{}`, are not readable.)
    expect(said).toContain('names folded for 3 project(s) and 2 user(s)');
    expect(await search('übergabe')).toEqual(['p1']);
    expect(await people('émile')).toEqual(['u-emile']);
  });

  it('samples the names without those not folded yet', async () => {
    await oldBuildWrites();
    // A sample is kept per connection pool for a while: a pool of its own reads it now.
    const own = createDatabase(url);
    try {
      const sample = await nameSample(own);
      expect(sample.names).toHaveLength(21);
      expect(sample.names.every((name) => typeof name === 'string')).toBe(true);
    } finally {
      await own.destroy();
    }
  });
});

describe('the worker', () => {
  it('catches the names up at its start, beside the open actions', async () => {
    const main = await readFile(path.join(__dirname, '../../worker/main.ts'), 'utf8');
    expect(main).toContain('catchUpNameFolds(db).then(');
    expect(main).toContain("logger.warn({ err: error }, 'name folds catch-up failed')");
  });
});
