/**
 * The HTTP API of SPEC §4 as data: method, path, who may call, and the Zod schemas of params,
 * query and body. The server registers handlers against it, the OpenAPI document is generated
 * from it and the designer's client is typed from it (it imports only zod and the model).
 */
import { z } from 'zod';
import {
  CompleteBody,
  ConditionMetBody,
  DeliverableBody,
  FeedbackBody,
  KpiBody,
  MigrateBody,
  NOTIFICATION_KINDS,
  Participants,
  ProjectStatus,
  RaiseIssueBody,
  ReasonBody,
  ResolveIssueBody,
  SignoffBody,
  Slug,
} from '../workflows/model';
import { Cursor, Id, Limit, ProjectParams } from './contract-fields';
import { securityRoutes } from './contract-security';

import type { RouteSpec } from './contract-fields';

export type { Access, RouteSpec } from './contract-fields';

const NodeParams = ProjectParams.extend({ nodeId: Slug });

export const CreateUserBody = z
  .object({
    name: z.string().trim().min(1).max(200),
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
  name: z.string().trim().min(1).max(200),
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
/** A draft may be invalid as a template, but it must be a JSON object. */
export const DraftBody = z.record(z.string(), z.unknown());
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
    failures: [409],
  },
  me: { method: 'get', path: '/api/me', summary: 'The calling user', access: 'user', status: 200 },
  ...securityRoutes,
  listTemplates: {
    method: 'get',
    path: '/api/templates',
    summary: 'Templates with their latest version and draft',
    access: 'user',
    status: 200,
  },
  validateTemplate: {
    method: 'post',
    path: '/api/templates/validate',
    summary: 'Validate a template',
    access: 'user',
    body: z.unknown(),
    status: 200,
  },
  getDraft: {
    method: 'get',
    path: '/api/templates/:key/draft',
    summary: "A template's draft (work in progress: PMOs only)",
    access: 'pmo',
    params: z.object({ key: Slug }),
    status: 200,
  },
  saveDraft: {
    method: 'put',
    path: '/api/templates/:key/draft',
    summary: 'Save a draft (may be invalid)',
    access: 'pmo',
    params: z.object({ key: Slug }),
    body: DraftBody,
    status: 200,
  },
  publish: {
    method: 'post',
    path: '/api/templates/:key/publish',
    summary: 'Publish the draft as a new immutable version',
    access: 'pmo',
    params: z.object({ key: Slug }),
    status: 201,
    failures: [422],
  },
  listVersions: {
    method: 'get',
    path: '/api/templates/:key/versions',
    summary: 'Published versions of a template',
    access: 'user',
    params: z.object({ key: Slug }),
    status: 200,
  },
  getVersion: {
    method: 'get',
    path: '/api/templates/:key/versions/:n',
    summary: 'One published version',
    access: 'user',
    params: z.object({ key: Slug, n: z.coerce.number().int().min(1) }),
    status: 200,
  },
  startProject: {
    method: 'post',
    path: '/api/projects',
    summary: 'Start a project on a published template version',
    access: 'pmo',
    body: StartProjectBody,
    status: 201,
    failures: [422],
  },
  listProjects: {
    method: 'get',
    path: '/api/projects',
    summary: 'Projects, newest first: all for the PMO, else those the caller takes part in',
    access: 'user',
    query: z.object({
      status: ProjectStatus.optional(),
      template: Slug.optional(),
      cursor: Cursor,
      limit: Limit,
    }),
    status: 200,
  },
  getProject: {
    method: 'get',
    path: '/api/projects/:id',
    summary: "A project's state",
    access: 'project',
    params: ProjectParams,
    status: 200,
  },
  signoff: {
    method: 'post',
    path: '/api/projects/:id/nodes/:nodeId/signoffs',
    summary: 'Sign a gate, review or hypercare exit off',
    access: 'project',
    params: NodeParams,
    body: SignoffBody,
    status: 200,
    failures: [409, 422],
  },
  submitDeliverable: {
    method: 'post',
    path: '/api/projects/:id/nodes/:nodeId/deliverables/:deliverableId',
    summary: 'Submit a deliverable',
    access: 'project',
    params: NodeParams.extend({ deliverableId: Slug }),
    body: DeliverableBody,
    status: 200,
    failures: [409, 422],
  },
  completeStage: {
    method: 'post',
    path: '/api/projects/:id/nodes/:nodeId/complete',
    summary: 'Complete a stage',
    access: 'project',
    params: NodeParams,
    body: CompleteBody.optional(),
    status: 200,
    failures: [409, 422],
  },
  raiseIssue: {
    method: 'post',
    path: '/api/projects/:id/issues',
    summary: 'Raise a hypercare issue',
    access: 'project',
    params: ProjectParams,
    body: RaiseIssueBody,
    status: 201,
    failures: [409],
  },
  resolveIssue: {
    method: 'post',
    path: '/api/projects/:id/issues/:issueId/resolve',
    summary: 'Resolve a hypercare issue',
    access: 'project',
    params: ProjectParams.extend({ issueId: Id }),
    body: ResolveIssueBody.optional(),
    status: 200,
    failures: [409],
  },
  extendHypercare: {
    method: 'post',
    path: '/api/projects/:id/hypercare/extend',
    summary: 'Extend hypercare',
    access: 'project',
    params: ProjectParams,
    body: ReasonBody,
    status: 200,
    failures: [409, 422],
  },
  recordKpi: {
    method: 'post',
    path: '/api/projects/:id/kpis',
    summary: 'Record a KPI value',
    access: 'project',
    params: ProjectParams,
    body: KpiBody,
    status: 201,
    failures: [422],
  },
  feedback: {
    method: 'post',
    path: '/api/projects/:id/feedback',
    summary: 'Post feedback or a lesson learned',
    access: 'project',
    params: ProjectParams,
    body: FeedbackBody,
    status: 201,
    failures: [422],
  },
  conditionMet: {
    method: 'post',
    path: '/api/projects/:id/conditions/:conditionId/met',
    summary: 'Mark a Conditional Go condition met',
    access: 'project',
    params: ProjectParams.extend({ conditionId: Id }),
    body: ConditionMetBody.optional(),
    status: 200,
    failures: [409],
  },
  migrate: {
    method: 'post',
    path: '/api/projects/:id/migrate',
    summary: 'Move to another published version',
    access: 'pmo',
    params: ProjectParams,
    body: MigrateBody,
    status: 200,
    failures: [409],
  },
  resume: {
    method: 'post',
    path: '/api/projects/:id/resume',
    summary: 'Resume a project on hold',
    access: 'project',
    params: ProjectParams,
    body: ReasonBody,
    status: 200,
    failures: [409],
  },
  retire: {
    method: 'post',
    path: '/api/projects/:id/retire',
    summary: 'Retire a monitored project',
    access: 'project',
    params: ProjectParams,
    body: ReasonBody,
    status: 200,
    failures: [409],
  },
  cancel: {
    method: 'post',
    path: '/api/projects/:id/cancel',
    summary: 'Cancel a project',
    access: 'project',
    params: ProjectParams,
    body: ReasonBody,
    status: 200,
    failures: [409],
  },
  audit: {
    method: 'get',
    path: '/api/projects/:id/audit',
    summary: 'The append-only audit trail',
    access: 'project',
    params: ProjectParams,
    query: z.object({ cursor: Cursor, limit: Limit }),
    status: 200,
  },
  projectPeople: {
    method: 'get',
    path: '/api/projects/:id/people',
    summary: 'Names of everyone the project mentions (participants, starter, every actor)',
    access: 'project',
    params: ProjectParams,
    status: 200,
  },
  events: {
    method: 'get',
    path: '/api/projects/:id/events',
    summary: 'Server-Sent Events of state changes',
    access: 'project',
    params: ProjectParams,
    status: 200,
  },
  inbox: {
    method: 'get',
    path: '/api/inbox',
    summary: 'What the caller must act on',
    access: 'user',
    status: 200,
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
  },
  markRead: {
    method: 'post',
    path: '/api/inbox/notifications/read',
    summary: "Mark some (ids) or all of the caller's notifications read",
    access: 'user',
    body: MarkReadBody,
    status: 200,
    failures: [422],
  },
  inboxSummary: {
    method: 'get',
    path: '/api/inbox/summary',
    summary: "Counts of the caller's notifications: all, unread, per project and kind",
    access: 'user',
    status: 200,
  },
  inboxEvents: {
    method: 'get',
    path: '/api/inbox/events',
    summary: "Server-Sent Events of the caller's inbox counts",
    access: 'user',
    status: 200,
  },
  firstRun: {
    method: 'get',
    path: '/api/first-run',
    summary: "The PMO's first-run checklist, each step ticked off from what really happened",
    access: 'pmo',
    status: 200,
  },
  demoUsers: {
    method: 'get',
    path: '/api/demo/users',
    summary: 'Demo users and their tokens (embedded default only; 404 elsewhere)',
    access: 'anyone',
    status: 200,
  },
  openapi: {
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This API as OpenAPI 3.1',
    access: 'anyone',
    status: 200,
  },
  healthz: { method: 'get', path: '/healthz', summary: 'Liveness', access: 'anyone', status: 200 },
  readyz: {
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: Temporal and the database answer',
    access: 'anyone',
    status: 200,
    failures: [503],
  },
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof routes;
