/**
 * Security and administration (issue 14): deactivated users and a name index for the
 * directory; tokens that expire, with a kind and a displayable prefix; browser sessions and
 * pending single sign-on logins; the admin audit trail; and a hash chain over both audit
 * trails, which the database itself keeps append-only (triggers refuse UPDATE and DELETE, on
 * PostgreSQL TRUNCATE too).
 */
import { type Kysely, SqliteAdapter, sql } from 'kysely';
import { GENESIS, projectEntryHash, type ProjectAuditRow } from '../audit-chain';

/** Tokens that existed before expiry: they get the default lifetime from the upgrade on. */
const UPGRADE_TOKEN_LIFETIME_MS = 90 * 24 * 60 * 60 * 1000;
/** Rows hashed per read while chaining the existing audit trail. */
const BACKFILL_PAGE = 1000;
const APPEND_ONLY = ['audit_entries', 'admin_audit'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = isPostgres(db);

  await db.schema.alterTable('users').addColumn('deactivated_at', 'bigint').execute();
  // The directory sorts and pages by name, whatever its letter case.
  await sql`create index users_name_idx on users (lower(name), id)`.execute(db);

  await db.schema.alterTable('api_tokens').addColumn('expires_at', 'bigint').execute();
  // `api`: made for a user; `bootstrap`: the first admin's; `demo`: the embedded demo's.
  await db.schema
    .alterTable('api_tokens')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('api'))
    .execute();
  // The first characters of a generated token, so a person can tell their tokens apart.
  await db.schema.alterTable('api_tokens').addColumn('prefix', 'text').execute();
  await sql`update api_tokens set kind = 'bootstrap'
            where label in ('bootstrap', 'GATEHOUSE_ADMIN_TOKEN')`.execute(db);
  await sql`update api_tokens set kind = 'demo' where label = 'demo'`.execute(db);
  // Only GATEHOUSE_ADMIN_TOKEN's never expires: its lifetime is the variable's.
  await sql`update api_tokens set expires_at = ${Date.now() + UPGRADE_TOKEN_LIFETIME_MS}
            where revoked_at is null
              and (label is null or label != 'GATEHOUSE_ADMIN_TOKEN')`.execute(db);

  await db.schema
    .createTable('sessions')
    /** SHA-256 hex of the cookie's value: a leaked table holds no usable session. */
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    /** `sso` (OIDC sign-in) or `token` (a bearer token exchanged for a session). */
    .addColumn('via', 'text', (c) => c.notNull())
    /** The token exchanged: revoking or expiring it ends the session. */
    .addColumn('token_id', 'text', (c) => c.references('api_tokens.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    /** Roles the identity provider's roles claim gave at sign-in (JSON array). */
    .addColumn('claimed_roles', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    /** The absolute end, whatever the activity. */
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

  // A sign-in on its way through the identity provider: the PKCE verifier and nonce, bound
  // to the browser that started it. Used once, kept minutes.
  await db.schema
    .createTable('oidc_logins')
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('browser_hash', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('return_to', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('admin_audit')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    .addColumn('detail', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();

  await db.schema.alterTable('audit_entries').addColumn('prev_hash', 'text').execute();
  await db.schema.alterTable('audit_entries').addColumn('hash', 'text').execute();
  await chainExistingEntries(db);

  for (const table of APPEND_ONLY) await appendOnly(db, table, postgres);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const postgres = isPostgres(db);
  for (const table of APPEND_ONLY) {
    for (const trigger of [`${table}_no_update`, `${table}_no_delete`, `${table}_no_truncate`]) {
      await sql
        .raw(`drop trigger if exists ${trigger}${postgres ? ` on ${table}` : ''}`)
        .execute(db);
    }
  }
  if (postgres) await sql`drop function if exists gatehouse_append_only()`.execute(db);
  await db.schema.alterTable('audit_entries').dropColumn('hash').execute();
  await db.schema.alterTable('audit_entries').dropColumn('prev_hash').execute();
  await db.schema.dropTable('admin_audit').execute();
  await db.schema.dropTable('oidc_logins').execute();
  await db.schema.dropTable('sessions').execute();
  for (const column of ['prefix', 'kind', 'expires_at']) {
    await db.schema.alterTable('api_tokens').dropColumn(column).execute();
  }
  await db.schema.dropIndex('users_name_idx').execute();
  await db.schema.alterTable('users').dropColumn('deactivated_at').execute();
}

function isPostgres(db: Kysely<unknown>): boolean {
  return !(db.getExecutor().adapter instanceof SqliteAdapter);
}

/** Chains the trail written before this migration, project by project, in seq order. */
async function chainExistingEntries(db: Kysely<unknown>): Promise<void> {
  type Row = ProjectAuditRow & { prev_hash: string | null; hash: string | null };
  const trx = db as Kysely<{ audit_entries: Row }>;
  let last: { project_id: string; seq: number } | undefined;
  let prev = GENESIS;
  for (;;) {
    let query = trx.selectFrom('audit_entries').selectAll();
    if (last) {
      const after = last;
      query = query.where((eb) =>
        eb.or([
          eb('project_id', '>', after.project_id),
          eb.and([eb('project_id', '=', after.project_id), eb('seq', '>', after.seq)]),
        ]),
      );
    }
    const rows = await query.orderBy('project_id').orderBy('seq').limit(BACKFILL_PAGE).execute();
    if (rows.length === 0) return;
    for (const row of rows) {
      if (last?.project_id !== row.project_id) prev = GENESIS;
      const hash = projectEntryHash(prev, row);
      await trx
        .updateTable('audit_entries')
        .set({ prev_hash: prev, hash })
        .where('project_id', '=', row.project_id)
        .where('seq', '=', row.seq)
        .execute();
      prev = hash;
      last = { project_id: row.project_id, seq: row.seq };
    }
  }
}

/**
 * Makes `table` append-only in the database itself, for every role that does not own the
 * trigger away: UPDATE and DELETE (and on PostgreSQL TRUNCATE) fail with an error.
 */
async function appendOnly(db: Kysely<unknown>, table: string, postgres: boolean): Promise<void> {
  if (!postgres) {
    for (const op of ['update', 'delete']) {
      await sql
        .raw(
          `create trigger ${table}_no_${op} before ${op} on ${table} ` +
            `begin select raise(abort, '${table} is append-only: ${op} refused'); end`,
        )
        .execute(db);
    }
    return;
  }
  await sql
    .raw(
      `create or replace function gatehouse_append_only() returns trigger language plpgsql as $$
       begin
         raise exception '% is append-only: % refused', tg_table_name, lower(tg_op)
           using errcode = 'insufficient_privilege';
       end $$`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger ${table}_no_update before update on ${table}
         for each row execute function gatehouse_append_only()`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger ${table}_no_delete before delete on ${table}
         for each row execute function gatehouse_append_only()`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger ${table}_no_truncate before truncate on ${table}
         for each statement execute function gatehouse_append_only()`,
    )
    .execute(db);
  await sql.raw(`revoke update, delete, truncate on ${table} from public`).execute(db);
}
