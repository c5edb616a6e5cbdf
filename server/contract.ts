/**
 * The HTTP API of SPEC §4 as data: method, path, who may call, the Zod schemas of params,
 * query and body, what a success answers and which problems a route may answer. The server
 * registers handlers against it (and, in tests, checks every answer against it), the OpenAPI
 * document is generated from it and the designer's client is typed from it: it imports only
 * zod and the model. The project actions come from the model's action table, entry by entry.
 */
import { z } from 'zod';
import {
  ACTIONS,
  LIMITS,
  NOTIFICATION_KINDS,
  Participants,
  Slug,
  Text,
  DraftBody,
} from '../workflows/model';
import { Cursor, Id, Limit, ProjectParams } from './contract-fields';
import { actionRoutes } from './contract-actions';
import {
  AuditEntry,
  CreatedUser,
  DraftView,
  FirstRun,
  Health,
  InboxItem,
  InboxSummary,
  List,
  MarkedRead,
  OpenApiDocument,
  Page,
  PendingActionView,
  ProjectPeople,
  ProjectSummary,
  ProjectView,
  Published,
  Readiness,
  SavedDraft,
  TemplateSummary,
  TemplateVersion,
  TemplateVersionInfo,
  User,
  ValidationView,
} from './contract-responses';
import { inboxEvents, projectEvents } from './contract-events';
import { securityRoutes } from './contract-security';
import { delegationRoutes } from './contract-delegation';
import { impactRoutes } from './contract-impact';
import { migrationRoutes } from './contract-migrations';
import { PORTFOLIO_FILTER_PROBLEMS, PortfolioFilters, portfolioRoutes } from './contract-portfolio';

import type { RouteSpec } from './contract-fields';
export type { Access, ProblemCodes, ResponseBody, RouteSpec } from './contract-fields';
export { problemsOf } from './contract-fields';
export * from './contract-responses';
export * from './contract-events';
export { ImpactBody, ImpactView } from './contract-impact';
export { MigrationBody, MigrationView } from './contract-migrations';
export { PortfolioFilters, PortfolioStages } from './contract-portfolio';
export { DraftBody };

export const CreateUserBody = z
  .object({
    name: Text(200, { trim: true, min: 1 }),
    email: z.email().max(320),
    pmo: z.boolean().optional(),
    admin: z.boolean().optional(),
    /** The user signs in through the identity provider only: no API token is made. */
    sso: z.boolean().optional(),
  })
  .refine((u) => !(u.sso && (u.pmo || u.admin)), {
    message:
      'an account for single sign-on gets its roles after its first sign-in (or from the roles claim)',
    path: ['sso'],
  });
export const StartProjectBody = z.object({
  name: Text(LIMITS.projectName, { trim: true, min: 1 }),
  template: Slug,
  version: z.number().int().min(1).optional(),
  participants: Participants,
});
/** `POST /api/inbox/notifications/read`: some notifications by id, or all of them. */
export const MarkReadBody = z
  .object({
    /** Notification ids (of `GET /api/inbox/notifications`), all the caller's. */
    ids: z.array(Id).min(1).max(500).optional(),
    /** Everything the caller has unread. */
    all: z.literal(true).optional(),
  })
  .strict()
  .refine((b) => (b.ids === undefined) !== (b.all === undefined), {
    message: 'send either ids or all: true',
  });
/** A demo user of the embedded default (`npm start`), offered by the designer's sign-in picker. */
export const DemoUser = z.object({
  id: z.string(),
  name: z.string(),
  /** What the user plays in the demo: `pmo`, or role keys of the built-in template. */
  roles: z.array(z.string()),
  /** The user's bearer token: demo data, printed at start and kept in the data folder. */
  token: z.string(),
});
export type DemoUser = z.infer<typeof DemoUser>;

export const routes = {
  createUser: {
    method: 'post',
    path: '/api/users',
    summary: 'Create a user and its first token',
    access: 'admin',
    body: CreateUserBody,
    status: 201,
    response: CreatedUser,
    problems: { 409: ['email_taken'] },
  },
  me: {
    method: 'get',
    path: '/api/me',
    summary: 'The calling user',
    access: 'user',
    status: 200,
    response: User,
  },
  ...securityRoutes,
  ...delegationRoutes,
  ...impactRoutes,
  ...migrationRoutes,
  listTemplates: {
    method: 'get',
    path: '/api/templates',
    summary: 'Templates with their latest version and draft, by key, a page at a time',
    access: 'user',
    query: z.object({ cursor: Cursor, limit: Limit }),
    status: 200,
    response: Page(TemplateSummary),
  },
  validateTemplate: {
    method: 'post',
    path: '/api/templates/validate',
    summary: 'Validate a template',
    access: 'user',
    body: z.unknown(),
    status: 200,
    response: ValidationView,
  },
  getDraft: {
    method: 'get',
    path: '/api/templates/:key/draft',
    summary: "A template's draft (work in progress: PMOs only)",
    access: 'pmo',
    params: z.object({ key: Slug }),
    status: 200,
    response: DraftView,
  },
  saveDraft: {
    method: 'put',
    path: '/api/templates/:key/draft',
    summary: 'Save a draft (may be invalid)',
    access: 'pmo',
    params: z.object({ key: Slug }),
    body: DraftBody,
    status: 200,
    response: SavedDraft,
  },
  publish: {
    method: 'post',
    path: '/api/templates/:key/publish',
    summary: 'Publish the draft as a new immutable version',
    access: 'pmo',
    params: z.object({ key: Slug }),
    status: 201,
    response: Published,
    problems: { 422: ['invalid_template'] },
  },
  listVersions: {
    method: 'get',
    path: '/api/templates/:key/versions',
    summary: 'Published versions of a template, oldest first, a page at a time',
    access: 'user',
    params: z.object({ key: Slug }),
    query: z.object({ cursor: Cursor, limit: Limit }),
    status: 200,
    response: Page(TemplateVersionInfo),
  },
  getVersion: {
    method: 'get',
    path: '/api/templates/:key/versions/:n',
    summary: 'One published version',
    access: 'user',
    params: z.object({ key: Slug, n: z.coerce.number().int().min(1) }),
    status: 200,
    response: TemplateVersion,
  },
  startProject: {
    method: 'post',
    path: '/api/projects',
    summary:
      'Start a project on a published template version (header Idempotency-Key: a retry ' +
      'starts no second project)',
    access: 'pmo',
    body: StartProjectBody,
    status: 201,
    response: ProjectSummary,
    problems: {
      400: ['invalid_request'],
      422: [
        'unknown_template',
        'invalid_template',
        'invalid_participants',
        'idempotency_key_reused',
      ],
      503: ['temporal_unavailable', 'project_timeout'],
    },
  },
  listProjects: {
    method: 'get',
    path: '/api/projects',
    summary: 'Projects, newest first: all for the PMO, else those the caller takes part in',
    access: 'user',
    query: PortfolioFilters.extend({ cursor: Cursor, limit: Limit }),
    status: 200,
    response: Page(ProjectSummary),
    problems: { 422: PORTFOLIO_FILTER_PROBLEMS },
  },
  exportPortfolio: {
    method: 'get',
    path: '/api/portfolio/export',
    summary:
      'The portfolio as CSV (RFC 4180, UTF-8), newest first, with the filters of the list: streamed a page at a time',
    access: 'pmo',
    query: PortfolioFilters,
    status: 200,
    response: 'csv',
    problems: { 422: PORTFOLIO_FILTER_PROBLEMS },
  },
  ...portfolioRoutes,
  getProject: {
    method: 'get',
    path: '/api/projects/:id',
    summary: "A project's state",
    access: 'project',
    params: ProjectParams,
    status: 200,
    response: ProjectView,
    problems: { 503: ['temporal_unavailable', 'project_timeout'] },
  },
  audit: {
    method: 'get',
    path: '/api/projects/:id/audit',
    summary: 'The append-only audit trail',
    access: 'project',
    params: ProjectParams,
    query: z.object({ cursor: Cursor, limit: Limit }),
    status: 200,
    response: Page(AuditEntry),
  },
  projectPeople: {
    method: 'get',
    path: '/api/projects/:id/people',
    summary: 'Names of everyone the project mentions (participants, starter, every actor)',
    access: 'project',
    params: ProjectParams,
    status: 200,
    response: ProjectPeople,
  },
  events: {
    method: 'get',
    path: '/api/projects/:id/events',
    summary: 'Server-Sent Events of state changes',
    access: 'project',
    params: ProjectParams,
    status: 200,
    response: 'event-stream',
    events: projectEvents,
    // A client that saw a closed project's end is told to stop reconnecting.
    otherResponses: { 204: 'none' },
    // The caller holds as many event streams as EVENT_STREAMS_PER_USER allows.
    problems: { 429: ['too_many_streams'] },
  },
  inbox: {
    method: 'get',
    path: '/api/inbox',
    summary:
      'What the caller must act on (also for whom they stand in), due first, a page at a time',
    access: 'user',
    query: z.object({ cursor: Cursor, limit: Limit }),
    status: 200,
    response: Page(PendingActionView),
  },
  notifications: {
    method: 'get',
    path: '/api/inbox/notifications',
    summary: "The caller's in-app notifications, newest first, optionally filtered",
    access: 'user',
    query: z.object({
      cursor: Cursor,
      limit: Limit,
      unread: z.enum(['true', 'false']).optional(),
      /** Only this project's. */
      project: Id.optional(),
      /** Only this kind. */
      kind: z.enum(NOTIFICATION_KINDS).optional(),
    }),
    status: 200,
    response: Page(InboxItem),
  },
  markRead: {
    method: 'post',
    path: '/api/inbox/notifications/read',
    summary: "Mark some (ids) or all of the caller's notifications read",
    access: 'user',
    body: MarkReadBody,
    status: 200,
    response: MarkedRead,
    problems: { 422: ['unknown_notification'] },
  },
  inboxSummary: {
    method: 'get',
    path: '/api/inbox/summary',
    summary: "Counts of the caller's notifications: all, unread, per project and kind",
    access: 'user',
    status: 200,
    response: InboxSummary,
  },
  inboxEvents: {
    method: 'get',
    path: '/api/inbox/events',
    summary: "Server-Sent Events of the caller's inbox counts",
    access: 'user',
    status: 200,
    response: 'event-stream',
    events: inboxEvents,
    problems: { 429: ['too_many_streams'] },
  },
  firstRun: {
    method: 'get',
    path: '/api/first-run',
    summary: "The PMO's first-run checklist, each step ticked off from what really happened",
    access: 'pmo',
    status: 200,
    response: FirstRun,
  },
  demoUsers: {
    method: 'get',
    path: '/api/demo/users',
    summary: 'Demo users and their tokens (embedded default only; 404 elsewhere)',
    access: 'anyone',
    status: 200,
    response: List(DemoUser),
    problems: { 404: ['not_found'] },
  },
  openapi: {
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This API as OpenAPI 3.2',
    access: 'anyone',
    status: 200,
    response: OpenApiDocument,
  },
  healthz: {
    method: 'get',
    path: '/healthz',
    summary: 'Liveness',
    access: 'anyone',
    status: 200,
    response: Health,
  },
  readyz: {
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: Temporal and the database answer (status "degraded" with dead letters)',
    access: 'anyone',
    status: 200,
    response: Readiness,
    problems: { 503: ['not_ready'] },
  },
  ...actionRoutes(ACTIONS),
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof routes;
