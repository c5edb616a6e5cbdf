/**
 * The to-do list in people's words: each open action keeps the names its roles have in the
 * project's pinned template (`role_names`, beside the keys in `roles`), and a hypercare issue
 * to take on or resolve its severity and whether it blocks the exit. The rows are derived:
 * OPEN_ACTIONS_REV 4 has `gatehouse migrate` derive every stored project's rows again
 * (ensureOpenActions), which fills them. Rows an older build writes meanwhile (a rolling
 * upgrade) leave them null; they are read as the keys and no issue until the project's next
 * record write.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('open_actions')
    .addColumn('role_names', 'text') // JSON array, in the order of `roles`
    .execute();
  await db.schema.alterTable('open_actions').addColumn('issue_severity', 'integer').execute();
  // 1 or 0 (SQLite has no boolean); null where `issue_severity` is.
  await db.schema.alterTable('open_actions').addColumn('issue_blocks_exit', 'integer').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('open_actions').dropColumn('issue_blocks_exit').execute();
  await db.schema.alterTable('open_actions').dropColumn('issue_severity').execute();
  await db.schema.alterTable('open_actions').dropColumn('role_names').execute();
}
