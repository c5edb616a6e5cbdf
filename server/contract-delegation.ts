/**
 * Delegation (out of office): a user hands their part in one project, or in all of their
 * projects, to a colleague for a period; the colleague then acts "for" them. Part of the one
 * route table (server/contract.ts `routes`).
 */
import { z } from 'zod';
import { DirectoryEntry, Page } from './contract-responses';
import { LIMITS, Text } from '../workflows/model';
import { Cursor, Id, Limit, type RouteSpec } from './contract-fields';

/** `POST /api/delegations`: whom, which project (or all), from when until when. */
export const CreateDelegationBody = z
  .object({
    /** The colleague who stands in: an active user, not the caller. */
    delegate: z.string().min(1).max(LIMITS.userId),
    /** The one project delegated; absent: every project the caller takes part in. */
    project: Id.optional(),
    /** Start of the period (ISO 8601, inclusive). */
    from: z.iso.datetime({ offset: true }),
    /** End of the period (ISO 8601, exclusive); after `from`. */
    until: z.iso.datetime({ offset: true }),
  })
  .strict();
export type CreateDelegationBody = z.infer<typeof CreateDelegationBody>;

/** A delegation as the API answers it: ids with names, the period as ISO 8601. */
export const DelegationView = z.object({
  id: z.string(),
  delegator: z.object({ id: z.string(), name: z.string() }),
  delegate: z.object({ id: z.string(), name: z.string() }),
  /** Absent: every project of the delegator. */
  project: z.object({ id: z.string(), name: z.string() }).optional(),
  from: z.string(),
  until: z.string(),
  /** `scheduled` (not begun), `active`, `ended` or `revoked`. */
  status: z.enum(['scheduled', 'active', 'ended', 'revoked']),
  createdAt: z.string(),
  revokedAt: z.string().optional(),
});
export type DelegationView = z.infer<typeof DelegationView>;

export const delegationRoutes = {
  colleagues: {
    method: 'get',
    path: '/api/colleagues',
    summary:
      'Active people you take part in a project with (the whole directory for the PMO), ' +
      'searched by name or e-mail: whom you may delegate to',
    access: 'user',
    query: z.object({
      q: Text(200, { trim: true }).optional(),
      cursor: Cursor,
      limit: Limit,
    }),
    status: 200,
    response: Page(DirectoryEntry),
  },
  createDelegation: {
    method: 'post',
    path: '/api/delegations',
    summary: 'Delegate your part in one project or in all of them to a colleague for a period',
    access: 'user',
    body: CreateDelegationBody,
    status: 201,
    response: DelegationView,
    problems: {
      422: [
        'delegate_self',
        'unknown_user',
        'inactive_user',
        'until_before_from',
        'not_participant',
        'overlapping_delegation',
      ],
    },
  },
  listDelegations: {
    method: 'get',
    path: '/api/delegations',
    summary: 'Delegations you gave and received (revoked and ended ones included)',
    access: 'user',
    status: 200,
    response: z.object({ given: z.array(DelegationView), received: z.array(DelegationView) }),
  },
  revokeDelegation: {
    method: 'delete',
    path: '/api/delegations/:id',
    summary: 'Revoke a delegation you gave',
    access: 'user',
    params: z.object({ id: Id }),
    status: 204,
    response: 'none',
  },
} as const satisfies Record<string, RouteSpec>;
