/**
 * Deactivating a user now revokes the delegations they gave (db/user-admin.ts): their delegate
 * went on opening their projects and signing in their name. A user deactivated before that
 * still has theirs running, or waiting for their start: this revokes, now, every one not yet
 * ended. `down` leaves them revoked: giving someone back the right to act for a deactivated
 * account is no part of undoing a schema.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const now = Date.now();
  await sql`
    update delegations set revoked_at = ${now}
    where revoked_at is null
      and ends_at > ${now}
      and delegator_id in (select id from users where deactivated_at is not null)
  `.execute(db);
}

export async function down(): Promise<void> {}
