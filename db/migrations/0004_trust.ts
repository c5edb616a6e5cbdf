/**
 * Trust (issue 8): long texts and idempotency keys kept beside the audit trail, start requests
 * by (user, key), a dead-letter table for record writes that can never succeed, and the
 * severity scale of incident practice (1 = critical) in stored templates and read models.
 */
import type { Kysely } from 'kysely';

/** The columns this migration reads and rewrites (its own view: later schemas may differ). */
type Rewritten = {
  template_versions: { key: string; version: number; body: string };
  template_drafts: { key: string; body: string };
  projects: { id: string; state: string };
};

export async function up(db: Kysely<unknown>): Promise<void> {
  // A project's long texts (deliverable texts, comments, notes, feedback), by digest.
  await db.schema
    .createTable('project_texts')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('project_texts_pk', ['project_id', 'sha256'])
    .execute();

  // Idempotency keys of actions by (project, scope): the answer after continue-as-new and close.
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    /** The compact answer as JSON. */
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['project_id', 'scope'])
    .execute();
  await db.schema
    .createIndex('idempotency_keys_created_idx')
    .on('idempotency_keys')
    .column('created_at')
    .execute();

  // `POST /api/projects` with an Idempotency-Key: one row per (user, key), claimed first.
  await db.schema
    .createTable('project_starts')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('project_starts_pk', ['user_id', 'key'])
    .execute();

  // Record writes that failed for a reason retrying cannot fix; `records repair` settles them.
  await db.schema
    .createTable('dead_letters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull())
    /** The effects that could not be written, as JSON. */
    .addColumn('entry', 'text', (c) => c.notNull())
    .addColumn('error', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('resolved_at', 'bigint')
    .addColumn('resolution', 'text')
    .execute();
  await db.schema
    .createIndex('dead_letters_open_idx')
    .on('dead_letters')
    .columns(['resolved_at', 'project_id'])
    .execute();

  await reverseSeverities(db.withTables<Rewritten>());
}

/**
 * Severities were 1 = minor … 3 = critical, blocking "at or above" `blockingSeverity`; now
 * 1 = critical, blocking "at most". Each stored n becomes 4 - n, which blocks the same issues.
 * Running workflows convert their own copies (workflows/lifecycle/legacy.ts).
 */
async function reverseSeverities(db: Kysely<Rewritten>): Promise<void> {
  for (const row of await db.selectFrom('template_versions').selectAll().execute()) {
    const body = reverseTemplate(row.body);
    if (body !== undefined) {
      await db
        .updateTable('template_versions')
        .set({ body })
        .where('key', '=', row.key)
        .where('version', '=', row.version)
        .execute();
    }
  }
  for (const row of await db.selectFrom('template_drafts').selectAll().execute()) {
    const body = reverseTemplate(row.body);
    if (body !== undefined) {
      await db.updateTable('template_drafts').set({ body }).where('key', '=', row.key).execute();
    }
  }
  for (const row of await db.selectFrom('projects').select(['id', 'state']).execute()) {
    const state = JSON.parse(row.state) as { issues?: { severity?: unknown }[] };
    if (!Array.isArray(state.issues) || state.issues.length === 0) continue;
    for (const issue of state.issues) {
      if (typeof issue.severity === 'number') issue.severity = 4 - issue.severity;
    }
    await db
      .updateTable('projects')
      .set({ state: JSON.stringify(state) })
      .where('id', '=', row.id)
      .execute();
  }
}

/** The template JSON with every numeric hypercare `blockingSeverity` reversed, if it has one. */
function reverseTemplate(json: string): string | undefined {
  const body = JSON.parse(json) as { nodes?: unknown };
  if (!Array.isArray(body.nodes)) return undefined;
  let changed = false;
  for (const node of body.nodes as Record<string, unknown>[]) {
    if (node?.type === 'hypercare' && typeof node.blockingSeverity === 'number') {
      node.blockingSeverity = 4 - node.blockingSeverity;
      changed = true;
    }
  }
  return changed ? JSON.stringify(body) : undefined;
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await reverseSeverities(db.withTables<Rewritten>());
  await db.schema.dropTable('dead_letters').execute();
  await db.schema.dropTable('project_starts').execute();
  await db.schema.dropTable('idempotency_keys').execute();
  await db.schema.dropTable('project_texts').execute();
}
