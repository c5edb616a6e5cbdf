/**
 * Delegations: a user (the delegator) hands their part in one project, or in all of their
 * projects, to a colleague (the delegate) for a period. The API authorises the delegate from
 * these rows; the inbox copies the delegator's notifications to the delegate while one runs.
 */
import { randomUUID } from 'node:crypto';
import type { ExpressionBuilder, Kysely, Selectable } from 'kysely';
import { recordChange } from './changes';
import { inTransaction, lockFor } from './database';
import { reusedQuery } from './reused-query';
import type { Database, DelegationsTable } from './schema';
import { couldBeUserId } from './users';

export interface Delegation {
  id: string;
  delegatorId: string;
  delegateId: string;
  /** The one project delegated; absent: every project of the delegator. */
  projectId?: string;
  /** From (inclusive), epoch ms. */
  startsAt: number;
  /** Until (exclusive), epoch ms. */
  endsAt: number;
  createdAt: number;
  revokedAt?: number;
}

export interface NewDelegation {
  delegatorId: string;
  delegateId: string;
  projectId?: string;
  startsAt: number;
  endsAt: number;
}

export type CreateDelegationResult =
  | { ok: true; delegation: Delegation }
  /** The delegator already delegates this scope for part of this period. */
  | { ok: false; code: 'overlapping_delegation'; other: Delegation };

/** Records a delegation unless one of the same delegator and scope overlaps its period. */
export function createDelegation(
  db: Kysely<Database>,
  input: NewDelegation,
  now = Date.now(),
): Promise<CreateDelegationResult> {
  return inTransaction(db, async (trx) => {
    // Two concurrent requests of one delegator must not both pass the overlap check.
    await lockFor(trx, `delegation:${input.delegatorId}`);
    const overlapping = await trx
      .selectFrom('delegations')
      .selectAll()
      .where('delegator_id', '=', input.delegatorId)
      .where('revoked_at', 'is', null)
      .where((eb) =>
        input.projectId === undefined
          ? eb('project_id', 'is', null)
          : eb('project_id', '=', input.projectId),
      )
      .where('starts_at', '<', input.endsAt)
      .where('ends_at', '>', input.startsAt)
      .orderBy('starts_at', 'asc')
      .executeTakeFirst();
    if (overlapping)
      return { ok: false, code: 'overlapping_delegation', other: toDelegation(overlapping) };
    const row = {
      id: randomUUID(),
      delegator_id: input.delegatorId,
      delegate_id: input.delegateId,
      project_id: input.projectId ?? null,
      starts_at: input.startsAt,
      ends_at: input.endsAt,
      created_at: now,
      revoked_at: null,
    };
    await trx.insertInto('delegations').values(row).execute();
    // The delegate's to-do list holds the delegator's sign-offs while it runs.
    await recordChange(trx, { users: [input.delegateId], delegations: true });
    return { ok: true, delegation: toDelegation(row) };
  });
}

/** Delegations the user gave and received, newest period first (revoked ones included). */
export async function listDelegations(
  db: Kysely<Database>,
  userId: string,
  limit = 200,
): Promise<{ given: Delegation[]; received: Delegation[] }> {
  const of = (column: 'delegator_id' | 'delegate_id') =>
    db
      .selectFrom('delegations')
      .selectAll()
      .where(column, '=', userId)
      .orderBy('starts_at', 'desc')
      .orderBy('id', 'asc')
      .limit(limit)
      .execute();
  const [given, received] = await Promise.all([of('delegator_id'), of('delegate_id')]);
  return { given: given.map(toDelegation), received: received.map(toDelegation) };
}

/** Revokes the delegator's delegation `id`; false when no such delegation of theirs is open. */
export async function revokeDelegation(
  db: Kysely<Database>,
  id: string,
  delegatorId: string,
  now = Date.now(),
): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const revoked = await trx
      .updateTable('delegations')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('delegator_id', '=', delegatorId)
      .where('revoked_at', 'is', null)
      .returning('delegate_id')
      .executeTakeFirst();
    if (!revoked) return false;
    await recordChange(trx, { users: [revoked.delegate_id], delegations: true });
    return true;
  });
}

/**
 * Revokes every delegation `delegatorId` gave that has not ended yet (running or scheduled):
 * their account was deactivated, and no one may act in their name any more. Answers how many.
 */
export async function revokeDelegationsGivenBy(
  db: Kysely<Database>,
  delegatorId: string,
  now: number,
): Promise<number> {
  const revoked = await db
    .updateTable('delegations')
    .set({ revoked_at: now })
    .where('delegator_id', '=', delegatorId)
    .where('revoked_at', 'is', null)
    .where('ends_at', '>', now)
    .returning('delegate_id')
    .execute();
  if (revoked.length > 0) {
    // The delegates' to-do lists and inbox streams held the delegator's sign-offs.
    const users = [...new Set(revoked.map((r) => r.delegate_id))];
    await recordChange(db, { users, delegations: true });
  }
  return revoked.length;
}

/** The delegation `id`, whoever it belongs to. */
export async function getDelegation(
  db: Kysely<Database>,
  id: string,
): Promise<Delegation | undefined> {
  const row = await db
    .selectFrom('delegations')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toDelegation(row);
}

/**
 * Delegations running at `at` that `delegateId` received: each delegator's id and scope.
 * With `projectId`, only those covering that project (its own or every project).
 */
export async function activeDelegations(
  db: Kysely<Database>,
  delegateId: string,
  at: number,
  projectId?: string,
): Promise<Delegation[]> {
  const { rows } =
    projectId === undefined
      ? await selectActive(db, { delegateId, at })
      : await selectActive(db, { delegateId, at, projectId }, COVERING);
  return rows.map(toDelegation);
}

/** {@link selectActive}'s variant for one project. */
const COVERING = 1;

// Every read of a to-do list runs it: built once per dialect and variant (db/reused-query.ts).
const selectActive = reusedQuery<
  { delegateId: string; at: number; projectId?: string },
  Selectable<DelegationsTable>
>((db, slot, { variant }) => {
  const query = db
    .selectFrom('delegations')
    .selectAll()
    .where('delegate_id', '=', slot('delegateId'))
    .where(running(slot('at')));
  return (variant === COVERING ? query.where(covers(slot('projectId')!)) : query)
    .orderBy('starts_at', 'asc')
    .orderBy('id', 'asc');
});

/** Whether `delegatorId` has handed `projectId` to `delegateId` at `at`. */
export async function isDelegateFor(
  db: Kysely<Database>,
  delegate: { delegateId: string; delegatorId: string; projectId: string; at: number },
): Promise<boolean> {
  // The delegator comes from a request body (`onBehalfOf`).
  if (!couldBeUserId(delegate.delegatorId)) return false;
  const row = await db
    .selectFrom('delegations')
    .select('id')
    .where('delegate_id', '=', delegate.delegateId)
    .where('delegator_id', '=', delegate.delegatorId)
    .where(running(delegate.at))
    .where(covers(delegate.projectId))
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The delegates standing in for any of `userIds` in `projectId` at `at`, each once with the
 * (first) delegator, none of `userIds` themselves: the in-app inbox copies those users'
 * notifications to them.
 */
export async function delegatesOf(
  db: Kysely<Database>,
  userIds: readonly string[],
  projectId: string,
  at: number,
): Promise<{ delegateId: string; delegatorId: string }[]> {
  if (userIds.length === 0) return [];
  const { rows } = await selectStandIns(
    db,
    [...new Set(userIds)].map((delegator) => ({ delegator, at, projectId })),
  );
  const recipients = new Set(userIds);
  const copies = new Map<string, string>();
  for (const r of rows) {
    if (!recipients.has(r.delegate_id) && !copies.has(r.delegate_id)) {
      copies.set(r.delegate_id, r.delegator_id);
    }
  }
  return [...copies].map(([delegateId, delegatorId]) => ({ delegateId, delegatorId }));
}

/**
 * The participants of `projectId` who have handed their part there to `delegateId` at `at`
 * (sorted): the delegate may open the project and act for each of them.
 */
export async function delegatorsIn(
  db: Kysely<Database>,
  delegateId: string,
  projectId: string,
  at: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('delegations')
    .select('delegator_id')
    .where('delegate_id', '=', delegateId)
    .where(running(at))
    .where(covers(projectId))
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('project_participants as pp')
          .select('pp.project_id')
          .where('pp.project_id', '=', projectId)
          .whereRef('pp.user_id', '=', 'delegations.delegator_id'),
      ),
    )
    .orderBy('delegator_id', 'asc')
    .execute();
  return [...new Set(rows.map((r) => r.delegator_id))];
}

// Every notification a record write stores runs it: built once per list length
// (db/reused-query.ts). Every row carries the same time and project: the first's stand for all.
const selectStandIns = reusedQuery<
  { delegator: string; at: number; projectId: string },
  { delegate_id: string; delegator_id: string }
>((db, slot, { rows }) =>
  db
    .selectFrom('delegations')
    .select(['delegate_id', 'delegator_id'])
    .where(
      'delegator_id',
      'in',
      Array.from({ length: rows }, (_, i) => slot.at('delegator', i)),
    )
    .where(running(slot.at('at', 0)))
    .where(covers(slot.at('projectId', 0)))
    .orderBy('delegate_id', 'asc')
    .orderBy('delegator_id', 'asc'),
);

function running(at: number) {
  return (eb: ExpressionBuilder<Database, 'delegations'>) =>
    eb.and([eb('revoked_at', 'is', null), eb('starts_at', '<=', at), eb('ends_at', '>', at)]);
}

function covers(projectId: string) {
  return (eb: ExpressionBuilder<Database, 'delegations'>) =>
    eb.or([eb('project_id', 'is', null), eb('project_id', '=', projectId)]);
}

function toDelegation(row: Selectable<DelegationsTable>): Delegation {
  return {
    id: row.id,
    delegatorId: row.delegator_id,
    delegateId: row.delegate_id,
    ...(row.project_id !== null && { projectId: row.project_id }),
    startsAt: Number(row.starts_at),
    endsAt: Number(row.ends_at),
    createdAt: Number(row.created_at),
    ...(row.revoked_at !== null && { revokedAt: Number(row.revoked_at) }),
  };
}

/**
 * When a delegation next starts or ends after `after` (revoked ones aside), if one will: a
 * delegate's to-do list changes then without any write, so live updates set a timer for it.
 */
export async function nextDelegationBoundary(
  db: Kysely<Database>,
  after: number,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('delegations')
    .select((eb) => [
      eb.fn
        .min(eb.case().when('starts_at', '>', after).then(eb.ref('starts_at')).end())
        .as('start'),
      eb.fn.min(eb.case().when('ends_at', '>', after).then(eb.ref('ends_at')).end()).as('end'),
    ])
    .where('revoked_at', 'is', null)
    .where('ends_at', '>', after)
    .executeTakeFirst();
  const times = [row?.start, row?.end].filter((t) => t !== null && t !== undefined).map(Number);
  return times.length > 0 ? Math.min(...times) : undefined;
}

/** The delegates whose delegation (not revoked) started or ended in (`from`, `to`]. */
export async function delegatesChangedBetween(
  db: Kysely<Database>,
  from: number,
  to: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('delegations')
    .select('delegate_id')
    .distinct()
    .where('revoked_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('starts_at', '>', from), eb('starts_at', '<=', to)]),
        eb.and([eb('ends_at', '>', from), eb('ends_at', '<=', to)]),
      ]),
    )
    .execute();
  return rows.map((r) => r.delegate_id);
}
