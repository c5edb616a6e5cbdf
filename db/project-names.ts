/** Who a project's trail names: the ids behind its audit entries (for the names screens show). */
import type { Kysely } from 'kysely';
import { notSuperseded } from './fences';
import type { Database } from './schema';

/** Every distinct actor of a project's trail (user ids, and `system` for timers). */
export async function listAuditActors(db: Kysely<Database>, projectId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_entries')
    .select('actor')
    .distinct()
    .where('project_id', '=', projectId)
    .where(notSuperseded())
    .execute();
  return rows.map((row) => row.actor);
}
