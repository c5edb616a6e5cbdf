/**
 * What a PMO has really done of the first run (issue 10, item 4), read from the data itself —
 * drafts, published versions, projects and their audit trails — never from clicks: a draft or
 * version of theirs with a gate, a version they published, a project they started, an
 * approver's go and a hypercare escalation in one of their projects.
 */
import { sql, type Kysely } from 'kysely';
import { notSuperseded } from './fences';
import type { Database } from './schema';

/** When each step was first done (epoch ms), and where. */
export interface FirstRunFacts {
  designed?: number;
  published?: number;
  started?: { at: number; projectId: string };
  signed?: { at: number; projectId: string };
  escalated?: { at: number; projectId: string };
  /** Their latest project, preferably on `preferTemplate`: where the next steps happen. */
  project?: { id: string; name: string; templateKey: string };
}

/** A template body (JSON text as the repositories write it) with a gate among its nodes. */
const HAS_GATE = '%"type":"gate"%';
/** A sign-off's audit detail (JSON text, db/audit.ts) deciding `go`. */
const GO = '%"decision":"go"%';

export async function firstRunFacts(
  db: Kysely<Database>,
  userId: string,
  preferTemplate?: string,
): Promise<FirstRunFacts> {
  const num = (v: unknown) => (v === null || v === undefined ? undefined : Number(v));
  const draft = await db
    .selectFrom('template_drafts')
    .select((eb) => eb.fn.min('updated_at').as('at'))
    .where('updated_by', '=', userId)
    .where('body', 'like', HAS_GATE)
    .executeTakeFirst();
  const versions = await db
    .selectFrom('template_versions')
    .select((eb) => [
      eb.fn.min('published_at').as('first'),
      eb.fn
        .min(sql<number | null>`case when body like ${HAS_GATE} then published_at end`)
        .as('withGate'),
    ])
    .where('published_by', '=', userId)
    .executeTakeFirst();
  const designed = [num(draft?.at), num(versions?.withGate)].filter((v) => v !== undefined);
  const started = await db
    .selectFrom('projects')
    .select(['id', 'started_at'])
    .where('started_by', '=', userId)
    .orderBy('started_at', 'asc')
    .orderBy('id', 'asc')
    .executeTakeFirst();
  const firstEntry = (action: string, detailLike = '%') =>
    db
      .selectFrom('audit_entries as a')
      .innerJoin('projects as p', 'p.id', 'a.project_id')
      .select(['a.project_id as projectId', 'a.at as at'])
      .where('p.started_by', '=', userId)
      .where('a.action', '=', action)
      .where(sql<boolean>`coalesce(a.detail, '') like ${detailLike}`)
      .where('a.actor', '!=', userId)
      .where(notSuperseded('a'))
      .orderBy('a.at', 'asc')
      .executeTakeFirst();
  // Signing the gate off is a go (Conditional Go included): a hold, recycle or kill is not it.
  const signed = await firstEntry('signoff', GO);
  const escalated = await firstEntry('hypercare.escalated');
  const latest = await db
    .selectFrom('projects')
    .select(['id', 'name', 'template_key'])
    .where('started_by', '=', userId)
    .orderBy(
      sql`case when template_key = ${preferTemplate ?? ''} and status in ('active', 'on_hold') then 0 else 1 end`,
    )
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return {
    ...(designed.length > 0 && { designed: Math.min(...designed) }),
    ...(num(versions?.first) !== undefined && { published: num(versions?.first) }),
    ...(started && { started: { at: Number(started.started_at), projectId: started.id } }),
    ...(signed && { signed: { at: Number(signed.at), projectId: signed.projectId } }),
    ...(escalated && { escalated: { at: Number(escalated.at), projectId: escalated.projectId } }),
    ...(latest && {
      project: { id: latest.id, name: latest.name, templateKey: latest.template_key },
    }),
  };
}
