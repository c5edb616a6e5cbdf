/**
 * Templates (SPEC §4): one editable draft per key, which may be invalid, and immutable
 * published versions 1, 2, 3… that projects pin. Versions are insert-only: nothing here
 * updates or deletes one.
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import { Template } from '../workflows/model/template';
import type { TemplateError, TemplateValidation } from '../workflows/model/validate';
import { decodeKeyCursor, encodeKeyCursor, InvalidCursorError, pageSize } from './cursor';
import { jsonText } from './database';
import {
  type Page,
  TemplateDraft,
  TemplateSummary,
  TemplateVersion,
  TemplateVersionInfo,
} from './records';
import { reusedQuery, type Slot } from './reused-query';
import type { Database, TemplateVersionsTable } from './schema';

/**
 * How often a publish retries after losing the race for a version number. Each lost race
 * means another publish of the key succeeded, so this bounds concurrent publishers, not time.
 */
const PUBLISH_ATTEMPTS = 10;
/** Who publishes the built-in templates. */
export const SYSTEM_USER = 'system';

/** Saves the draft of `key` (a slug), replacing the previous one; `body` must be a JSON object. */
export async function saveDraft(
  db: Kysely<Database>,
  key: string,
  body: unknown,
  userId: string,
  at: number = Date.now(),
): Promise<TemplateDraft> {
  const draft = TemplateDraft.parse({ key, body, updatedAt: at, updatedBy: userId });
  const values = { body: JSON.stringify(draft.body), updated_at: at, updated_by: userId };
  await db
    .insertInto('template_drafts')
    .values({ key: draft.key, ...values })
    .onConflict((oc) => oc.column('key').doUpdateSet(values))
    .execute();
  return draft;
}

/** The draft of `key`, if there is one. */
export async function getDraft(
  db: Kysely<Database>,
  key: string,
): Promise<TemplateDraft | undefined> {
  const row = await db
    .selectFrom('template_drafts')
    .selectAll()
    .where('key', '=', key)
    .executeTakeFirst();
  return (
    row &&
    TemplateDraft.parse({
      key: row.key,
      body: JSON.parse(row.body) as unknown,
      updatedAt: row.updated_at,
      updatedBy: row.updated_by,
    })
  );
}

/** The result of {@link publishDraft}. */
export type PublishResult =
  | { ok: true; version: number }
  | { ok: false; reason: 'invalid'; errors: TemplateError[] }
  | { ok: false; reason: 'no_draft' };

/**
 * Publishes the draft of `key` as its next version when `validate` (the model's
 * `validateTemplate`) finds no error and the template's own key is `key`. The draft stays.
 */
export async function publishDraft(
  db: Kysely<Database>,
  key: string,
  userId: string,
  validate: (body: unknown) => TemplateValidation,
  at: number = Date.now(),
): Promise<PublishResult> {
  const draft = await getDraft(db, key);
  if (draft === undefined) return { ok: false, reason: 'no_draft' };
  const validation = validate(draft.body);
  if (!validation.valid || validation.template === undefined) {
    return { ok: false, reason: 'invalid', errors: validation.errors };
  }
  if (validation.template.key !== key) {
    const message = `the template's key must be "${key}", the key it is saved under`;
    return {
      ok: false,
      reason: 'invalid',
      errors: [{ path: ['key'], code: 'invalid_value', message }],
    };
  }
  const version = await insertNextVersion(db, validation.template, userId, at);
  return { ok: true, version };
}

/**
 * Publishes a built-in template as version 1 of its key unless that key has a version 1
 * already (seeding at startup, safe when several processes start at once). True if stored.
 */
export async function seedTemplate(
  db: Kysely<Database>,
  template: Template,
  at: number = Date.now(),
): Promise<boolean> {
  const result = await db
    .insertInto('template_versions')
    .values({
      key: template.key,
      version: 1,
      body: JSON.stringify(template),
      published_at: at,
      published_by: SYSTEM_USER,
    })
    .onConflict((oc) => oc.columns(['key', 'version']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** One published version, if it exists. */
export async function getVersion(
  db: Kysely<Database>,
  key: string,
  version: number,
): Promise<TemplateVersion | undefined> {
  const row = await db
    .selectFrom('template_versions')
    .selectAll()
    .where('key', '=', key)
    .where('version', '=', version)
    .executeTakeFirst();
  return row && toVersion(row);
}

/** The highest published version of `key`, if any. */
export async function getLatestVersion(
  db: Kysely<Database>,
  key: string,
): Promise<TemplateVersion | undefined> {
  const row = await db
    .selectFrom('template_versions')
    .selectAll()
    .where('key', '=', key)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && toVersion(row);
}

/** Options of the paged template lists. */
export interface ListTemplatesOptions {
  /** `nextCursor` of the previous page. */
  cursor?: string;
  /** Page size, 1..200 (default 100). */
  limit?: number;
  /**
   * Published templates only, as anyone but the PMO sees them: no draft-only key, and nothing
   * of a draft but that one exists (drafts are the PMO's work in progress).
   */
  publishedOnly?: boolean;
}

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 200;

/**
 * Published versions of `key`, oldest first, without bodies, a page at a time (keyset on the
 * version number). An unknown cursor throws InvalidCursorError.
 */
export async function listVersions(
  db: Kysely<Database>,
  key: string,
  options: ListTemplatesOptions = {},
): Promise<Page<TemplateVersionInfo>> {
  const limit = pageSize(options.limit, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const after = options.cursor === undefined ? undefined : decodeVersionCursor(options.cursor);
  let query = db
    .selectFrom('template_versions as v')
    .leftJoin('users as u', 'u.id', 'v.published_by')
    .select(['v.key', 'v.version', 'v.published_at', 'v.published_by', 'u.name as publisher'])
    // The name only, not the whole body: a list never parses templates.
    .select(sql<string | null>`${jsonText(db, 'v.body', 'name')}`.as('name'))
    .where('v.key', '=', key);
  if (after !== undefined) query = query.where('v.version', '>', after);
  const rows = await query
    .orderBy('v.version', 'asc')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map(({ publisher, name, ...row }) =>
    TemplateVersionInfo.parse({
      key: row.key,
      version: row.version,
      publishedAt: row.published_at,
      publishedBy: row.published_by,
      name: nonEmpty(name) ?? row.key,
      ...(publisher !== null && { publishedByName: publisher }),
    }),
  );
  const last = items.at(-1);
  return rows.length > limit && last !== undefined
    ? { items, nextCursor: encodeKeyCursor(String(last.version)) }
    : { items };
}

function decodeVersionCursor(cursor: string): number {
  const version = decodeKeyCursor(cursor);
  if (!/^\d{1,9}$/.test(version)) throw new InvalidCursorError(`invalid page cursor: ${cursor}`);
  return Number(version);
}

/**
 * Templates, published or draft-only (published only: `publishedOnly`), by key, a page at a
 * time (keyset on the key): the keys of the page first, then only their drafts and latest
 * versions. An unknown cursor throws InvalidCursorError.
 */
export async function listTemplates(
  db: Kysely<Database>,
  options: ListTemplatesOptions = {},
): Promise<Page<TemplateSummary>> {
  const limit = pageSize(options.limit, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const after = options.cursor === undefined ? undefined : decodeKeyCursor(options.cursor);
  const take = limit + 1;
  const variant = (after === undefined ? 0 : AFTER) | (options.publishedOnly ? PUBLISHED : 0);
  const { rows: keyRows } = await selectKeys(
    db,
    { take, ...(after !== undefined && { after }) },
    variant,
  );
  const keys = keyRows.slice(0, limit).map((row) => row.key);
  if (keys.length === 0) return { items: [] };
  const ofKeys = keys.map((key) => ({ key }));
  const [{ rows: drafts }, { rows: latest }] = await Promise.all([
    selectDrafts(db, ofKeys),
    selectLatest(db, ofKeys),
  ]);
  const draftByKey = new Map(drafts.map((row) => [row.key, row]));
  const latestByKey = new Map(latest.map((row) => [row.key, row]));
  const items = keys.map((key) => {
    const draft = draftByKey.get(key);
    const version = latestByKey.get(key);
    const shown = options.publishedOnly ? undefined : draft;
    const name = nonEmpty(version?.name) ?? nonEmpty(shown?.name) ?? key;
    return TemplateSummary.parse({
      key,
      name,
      ...(version && { latestVersion: version.version }),
      hasDraft: draft !== undefined,
      updatedAt: Math.max(shown?.updated_at ?? 0, version?.published_at ?? 0),
    });
  });
  const last = keys.at(-1);
  return keyRows.length > limit && last !== undefined
    ? { items, nextCursor: encodeKeyCursor(last) }
    : { items };
}

/** {@link selectKeys}'s variant flags: a later page; published keys only. */
const AFTER = 1;
const PUBLISHED = 2;

// Every read of the template list runs these: built once per dialect, variant and number of
// keys (db/reused-query.ts). Each table's next keys by its primary key, then the first of
// both: a page reads its own.
const selectKeys = reusedQuery<{ take: number; after?: string }, { key: string }>(
  (db, slot, { variant }) => {
    const keysOf = (table: 'template_drafts' | 'template_versions') => {
      const query = db.selectFrom(table).select('key').distinct();
      const next = (variant & AFTER ? query.where('key', '>', slot('after')!) : query)
        .orderBy('key')
        .limit(slot('take'));
      return db.selectFrom(next.as(table === 'template_drafts' ? 'd' : 'v')).select('key');
    };
    const all =
      variant & PUBLISHED
        ? keysOf('template_versions')
        : keysOf('template_drafts').union(keysOf('template_versions'));
    return db.selectFrom(all.as('k')).select('k.key').orderBy('k.key', 'asc').limit(slot('take'));
  },
);

const keysIn = (slot: Slot<{ key: string }>, rows: number) =>
  Array.from({ length: rows }, (_, i) => slot.at('key', i));

const selectDrafts = reusedQuery<
  { key: string },
  { key: string; updated_at: number; name: string | null }
>((db, slot, { rows }) =>
  db
    .selectFrom('template_drafts')
    .select(['key', 'updated_at'])
    .select(sql<string | null>`${jsonText(db, 'body', 'name')}`.as('name'))
    .where('key', 'in', keysIn(slot, rows)),
);

const selectLatest = reusedQuery<
  { key: string },
  { key: string; version: number; published_at: number; name: string | null }
>((db, slot, { rows }) =>
  db
    .selectFrom('template_versions as v')
    .select(['v.key', 'v.version', 'v.published_at'])
    .select(sql<string | null>`${jsonText(db, 'v.body', 'name')}`.as('name'))
    .where('v.key', 'in', keysIn(slot, rows))
    .where((eb) =>
      eb(
        'v.version',
        '=',
        eb
          .selectFrom('template_versions as w')
          .select((w) => w.fn.max('w.version').as('max'))
          .whereRef('w.key', '=', 'v.key'),
      ),
    ),
);

const nonEmpty = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * Inserts `template` as max(version) + 1 in one statement, which both databases run
 * atomically; when a concurrent publish took the number first (a unique violation on
 * PostgreSQL), it reads the maximum again.
 */
async function insertNextVersion(
  db: Kysely<Database>,
  template: Template,
  userId: string,
  at: number,
): Promise<number> {
  const body = JSON.stringify(template);
  for (let attempt = 1; ; attempt++) {
    try {
      const row = await db
        .insertInto('template_versions')
        .columns(['key', 'version', 'body', 'published_at', 'published_by'])
        .expression(
          db
            .selectFrom('template_versions')
            .select([
              sql<string>`cast(${template.key} as text)`.as('key'),
              sql<number>`coalesce(max(version), 0) + 1`.as('version'),
              sql<string>`cast(${body} as text)`.as('body'),
              sql<number>`cast(${at} as bigint)`.as('published_at'),
              sql<string>`cast(${userId} as text)`.as('published_by'),
            ])
            .where('key', '=', template.key),
        )
        .returning('version')
        .executeTakeFirstOrThrow();
      return row.version;
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= PUBLISH_ATTEMPTS) throw error;
    }
  }
}

function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  // PostgreSQL's unique_violation; SQLite's primary-key or unique constraint.
  return ['23505', 'SQLITE_CONSTRAINT_PRIMARYKEY', 'SQLITE_CONSTRAINT_UNIQUE'].includes(
    String(error.code),
  );
}

function toVersion(row: Selectable<TemplateVersionsTable>): TemplateVersion {
  // Validated on the way out too: the column is free text to the database.
  const template = Template.parse(JSON.parse(row.body));
  return { ...infoOf(row), name: template.name, template };
}

function infoOf(row: Selectable<TemplateVersionsTable>) {
  return {
    key: row.key,
    version: row.version,
    publishedAt: row.published_at,
    publishedBy: row.published_by,
  };
}
