/**
 * The routes of security and administration (README "Security"): the user directory and the
 * administration of accounts and tokens, the admin audit trail, signing in to the web app
 * (single sign-on, sessions) and a project's participants. Part of the one route table
 * (server/contract.ts `routes`).
 */
import { z } from 'zod';
import { Text } from '../workflows/model';
import {
  AdminAuditEntry,
  AdminUser,
  AuthConfig,
  CreatedToken,
  DirectoryEntry,
  List,
  Page,
  ProjectPerson,
  SessionView,
  TokenInfo,
} from './contract-responses';
import {
  Cursor,
  Id,
  Limit,
  ProjectParams,
  SIGN_IN_REFUSALS,
  type RouteSpec,
} from './contract-fields';

/** Where the web app returns after single sign-on: one of its hash routes (`#/inbox`). */
export const ReturnTo = /^#\/[\w\-./?=&%]{0,400}$/;

/** A new API token: what it is for and how long it lives. */
export const CreateTokenBody = z.object({
  label: Text(100, { trim: true, min: 1 }),
  /** Days until it expires (1..365); default: the server's token lifetime (90 days). */
  expiresInDays: z.number().int().min(1).max(365).optional(),
});
/** What an admin changes on an account; at least one field. */
export const UpdateUserBody = z
  .object({
    name: Text(200, { trim: true, min: 1 }).optional(),
    /** false: deactivate (tokens revoked, sessions ended at once); true: reactivate. */
    active: z.boolean().optional(),
    pmo: z.boolean().optional(),
    admin: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: 'say what to change: name, active, pmo or admin',
    path: [],
  });
const UserParams = z.object({ id: Id });

export const securityRoutes = {
  listUsers: {
    method: 'get',
    path: '/api/users',
    summary: 'The user directory: search by name or e-mail, ordered by name',
    access: 'pmo',
    query: z.object({
      /** Words that must each appear in the name or the e-mail. */
      q: Text(200, { trim: true }).optional(),
      /** Only active (`true`) or only deactivated (`false`) users. */
      active: z.enum(['true', 'false']).optional(),
      cursor: Cursor,
      limit: Limit,
    }),
    status: 200,
    response: Page(DirectoryEntry),
  },
  getUser: {
    method: 'get',
    path: '/api/users/:id',
    summary: 'One account as an admin sees it (roles, state, sign-in identities)',
    access: 'admin',
    params: UserParams,
    status: 200,
    response: AdminUser,
  },
  updateUser: {
    method: 'patch',
    path: '/api/users/:id',
    summary: 'Rename, deactivate or reactivate an account; grant or remove PMO and admin',
    access: 'admin',
    params: UserParams,
    body: UpdateUserBody,
    status: 200,
    response: AdminUser,
    problems: { 409: ['cannot_deactivate_self', 'last_admin'] },
  },
  userTokens: {
    method: 'get',
    path: '/api/users/:id/tokens',
    summary: "An account's API tokens (never the secrets)",
    access: 'admin',
    params: UserParams,
    status: 200,
    response: List(TokenInfo),
  },
  createUserToken: {
    method: 'post',
    path: '/api/users/:id/tokens',
    summary: 'Make an API token for an account (shown once)',
    access: 'admin',
    params: UserParams,
    body: CreateTokenBody,
    status: 201,
    response: CreatedToken,
    problems: { 409: ['user_inactive'] },
  },
  adminAudit: {
    method: 'get',
    path: '/api/admin/audit',
    summary: 'The admin audit trail, newest first',
    access: 'admin',
    query: z.object({ cursor: Cursor, limit: Limit }),
    status: 200,
    response: Page(AdminAuditEntry),
  },
  myTokens: {
    method: 'get',
    path: '/api/me/tokens',
    summary: "The caller's API tokens (never the secrets)",
    access: 'user',
    status: 200,
    response: List(TokenInfo),
  },
  createMyToken: {
    method: 'post',
    path: '/api/me/tokens',
    summary: 'Make an API token for yourself (shown once)',
    access: 'user',
    body: CreateTokenBody,
    status: 201,
    response: CreatedToken,
  },
  revokeToken: {
    method: 'delete',
    path: '/api/tokens/:id',
    summary: "Revoke a token: your own, or anyone's as an admin",
    access: 'user',
    params: z.object({ id: Id }),
    status: 204,
    response: 'none',
  },
  authConfig: {
    method: 'get',
    path: '/api/auth/config',
    summary: 'How to sign in here: single sign-on, demo users',
    access: 'anyone',
    status: 200,
    response: AuthConfig,
  },
  startSession: {
    method: 'post',
    path: '/api/auth/session',
    summary: 'Exchange the bearer token for a web app session (cookie)',
    access: 'user',
    status: 201,
    response: SessionView,
    problems: { 409: ['already_signed_in'] },
  },
  getSession: {
    method: 'get',
    path: '/api/auth/session',
    summary: 'The web app session: the caller, its CSRF token and when it ends',
    access: 'user',
    status: 200,
    response: SessionView,
    problems: { 404: ['no_session'] },
  },
  endSession: {
    method: 'delete',
    path: '/api/auth/session',
    summary: 'Sign out: end the session and drop its cookie',
    access: 'anyone',
    status: 204,
    response: 'none',
    // It reads the caller's session, and so refuses a credential that is no longer valid.
    problems: { 401: ['unauthorized'], 403: ['forbidden', ...SIGN_IN_REFUSALS] },
  },
  ssoLogin: {
    method: 'get',
    path: '/api/auth/oidc/login',
    summary: 'Sign in with single sign-on: redirects to the identity provider',
    access: 'anyone',
    query: z.object({ returnTo: z.string().regex(ReturnTo).optional() }),
    status: 303,
    response: 'none',
    problems: { 404: ['sso_not_configured'], 503: ['identity_provider_unavailable'] },
  },
  ssoCallback: {
    method: 'get',
    path: '/api/auth/oidc/callback',
    summary: "The identity provider's redirect back: starts a session, returns to the web app",
    access: 'anyone',
    status: 303,
    response: 'none',
    problems: { 404: ['sso_not_configured'], 503: ['identity_provider_unavailable'] },
  },
  participants: {
    method: 'get',
    path: '/api/projects/:id/participants',
    summary: "The project's participants with their roles and whether they are still active",
    access: 'project',
    params: ProjectParams,
    status: 200,
    response: List(ProjectPerson),
  },
} as const satisfies Record<string, RouteSpec>;
