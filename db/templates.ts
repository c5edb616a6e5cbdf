/**
 * Templates (SPEC §4): one editable draft per key, which may be invalid, and immutable
 * published versions 1, 2, 3… that projects pin. Versions are insert-only: nothing here
 * updates or deletes one.
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import { Template } from '../workflows/model/template';
import type { TemplateError, TemplateValidation } from '../workflows/model/validate';
import { TemplateDraft, TemplateSummary, TemplateVersion, TemplateVersionInfo } from './records';
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

/** Every published version of `key`, oldest first, without bodies. */
export async function listVersions(
  db: Kysely<Database>,
  key: string,
): Promise<TemplateVersionInfo[]> {
  const rows = await db
    .selectFrom('template_versions as v')
    .leftJoin('users as u', 'u.id', 'v.published_by')
    .selectAll('v')
    .select('u.name as publisher')
    .where('v.key', '=', key)
    .orderBy('v.version', 'asc')
    .execute();
  return rows.map(({ publisher, ...row }) =>
    TemplateVersionInfo.parse({
      ...infoOf(row),
      name: nameIn(row.body),
      ...(publisher !== null && { publishedByName: publisher }),
    }),
  );
}

/** Every template, published or draft-only, by key. */
export async function listTemplates(db: Kysely<Database>): Promise<TemplateSummary[]> {
  const [drafts, latest] = await Promise.all([
    db.selectFrom('template_drafts').selectAll().execute(),
    db
      .selectFrom('template_versions as v')
      .selectAll()
      .where((eb) =>
        eb(
          'v.version',
          '=',
          eb
            .selectFrom('template_versions as w')
            .select((w) => w.fn.max('w.version').as('max'))
            .whereRef('w.key', '=', 'v.key'),
        ),
      )
      .execute(),
  ]);
  const draftByKey = new Map(drafts.map((row) => [row.key, row]));
  const latestByKey = new Map(latest.map((row) => [row.key, row]));
  const keys = [...new Set([...draftByKey.keys(), ...latestByKey.keys()])].sort();
  return keys.map((key) => {
    const draft = draftByKey.get(key);
    const version = latestByKey.get(key);
    const name = (version && nameIn(version.body)) ?? (draft && nameIn(draft.body)) ?? key;
    return TemplateSummary.parse({
      key,
      name,
      ...(version && { latestVersion: version.version }),
      hasDraft: draft !== undefined,
      updatedAt: Math.max(draft?.updated_at ?? 0, version?.published_at ?? 0),
    });
  });
}

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

/** The `name` of a stored body when it is a non-empty string (drafts may lack one). */
function nameIn(body: string): string | undefined {
  const parsed = JSON.parse(body) as { name?: unknown };
  return typeof parsed.name === 'string' && parsed.name !== '' ? parsed.name : undefined;
}
