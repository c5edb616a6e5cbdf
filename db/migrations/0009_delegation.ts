/**
 * Delegation (issue 10): a user hands their part in one project, or in all of them, to a
 * colleague for a period (out of office). The delegate's inbox and access are looked up by
 * (delegate, period); the overlap check by (delegator, scope). Inbox copies for the delegate
 * name the delegator.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('delegations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('delegator_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('delegate_id', 'text', (c) => c.notNull().references('users.id'))
    /** The one project delegated; null: every project of the delegator. */
    .addColumn('project_id', 'text')
    /** The period, epoch ms: from (inclusive) until (exclusive). */
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('delegations_delegate_idx')
    .on('delegations')
    .columns(['delegate_id', 'ends_at'])
    .execute();
  await db.schema
    .createIndex('delegations_delegator_idx')
    .on('delegations')
    .columns(['delegator_id', 'ends_at'])
    .execute();
  // A copy of a delegator's notification in the delegate's inbox names whom it is for.
  await db.schema.alterTable('inbox_items').addColumn('for_user_id', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('inbox_items').dropColumn('for_user_id').execute();
  await db.schema.dropTable('delegations').execute();
}
