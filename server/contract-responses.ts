/**
 * What the routes answer (server/contract.ts `routes`, field `response`): the bodies of their
 * successes as Zod schemas, derived from the model and its read-model records wherever those
 * say it, and the problem document every failure is. Imports only zod, the model and the
 * interpreter's names (like the rest of the contract, the designer bundles it); the designer's
 * client takes its return types from here.
 */
import { z } from 'zod';
import {
  ActionResult as ActionRecord,
  AuditEntry,
  DirectoryEntry,
  DeliveryStanding,
  Metric,
  ProjectPerson,
  ProjectState,
  ProjectSummary,
  TemplateDraft,
  TemplateError,
  TemplateSummary,
  TemplateVersion,
  TemplateVersionInfo,
  TokenInfo,
  User,
  InboxItem,
  InboxSummary,
  AdminAuditEntry,
  KpiReviewRecord,
  MonitorRecord,
  NodeId,
  NodeRecord,
  Page,
  Slug,
  type IssueStanding,
} from '../workflows/model';
import { PENDING_ACTIONS } from '../workflows/lifecycle/pending';
import type { PendingAction, plannedVsActual } from '../workflows/lifecycle';

export { Page };

/** A whole list in one answer (no paging): `items`. */
export function List<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item) });
}

/** One entry of a problem's `errors[]`: the field at fault, why, in words. */
export const FieldProblem = z.object({
  /** Where: `body`, `query`, `params` or `headers`, then the field's path. */
  path: z.array(z.union([z.string(), z.number()])),
  /** snake_case, stable: clients may switch on it. */
  code: z.string(),
  message: z.string(),
});

/** RFC 9457 problem details, as every failure answers (`application/problem+json`). */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  /** snake_case, stable: clients may switch on it. */
  code: z.string(),
  /** The request's path. */
  instance: z.string().optional(),
  errors: z.array(FieldProblem),
});
export type FieldProblem = z.infer<typeof FieldProblem>;
export type Problem = z.infer<typeof Problem>;

/** An account as an admin sees it: roles, state and linked sign-ins. */
export const AdminUser = User.extend({
  identities: z.array(z.object({ issuer: z.string(), subject: z.string() })),
});
/** A new account: with its first token (shown once) unless it signs in by single sign-on. */
export const CreatedUser = User.extend({ token: z.string().optional() });
/** A new API token: what lists show, and the secret, shown this once. */
export const CreatedToken = TokenInfo.extend({ token: z.string() });

/** The web app's session: who, how they signed in, the CSRF token to echo, when it ends. */
export const SessionView = z.object({
  user: User,
  via: z.enum(['sso', 'token']),
  csrfToken: z.string(),
  /** Epoch ms: the session's end at the latest. */
  expiresAt: z.number(),
  /** Epoch ms: its end if nothing happens before. */
  idleExpiresAt: z.number(),
});
export const AuthConfig = z.object({
  sso: z.boolean(),
  demo: z.boolean(),
  /**
   * Whether the request carries a web app session (its cookie, still valid): the web app asks
   * `GET /api/auth/session` only then, so loading it signed out answers no 401.
   */
  session: z.boolean(),
});

/** What template validation answers (no parsed template: the caller sent it). */
export const ValidationView = z.object({ valid: z.boolean(), errors: z.array(TemplateError) });
export const DraftView = TemplateDraft.extend({
  validation: ValidationView.extend({ template: z.unknown().optional() }),
});
export const SavedDraft = ValidationView.extend({ key: Slug, saved: z.literal(true) });
export const Published = z.object({ key: Slug, version: z.number().int().min(1) });

/** A metric of the post-implementation review: planned, actual, met. */
export const PirRow = Metric.extend({
  actual: z.number().optional(),
  /** Absent while there is no reading. */
  met: z.boolean().optional(),
});
export type PirRow = z.infer<typeof PirRow>;
/** A hypercare issue with its age and whether its response and resolution times were kept. */
export const IssueStandingRow = z.object({
  id: z.string(),
  nodeId: z.string(),
  severity: z.number().int(),
  title: z.string(),
  status: z.enum(['open', 'resolved']),
  raisedAt: z.number(),
  /** Open: time since it was raised; resolved: time it took (ms). */
  ageMs: z.number(),
  respondBy: z.number().optional(),
  resolveBy: z.number().optional(),
  acknowledgedAt: z.number().optional(),
  responseLate: z.boolean(),
  resolutionLate: z.boolean(),
});
/**
 * A node's record as the API answers it: each long text put back beside its reference
 * (server/routes/hydrate.ts), where the workflow's record keeps the reference only.
 */
const NodeView = NodeRecord.extend({
  monitor: MonitorRecord.extend({
    done: z
      .array(
        KpiReviewRecord.extend({
          comment: z
            .string()
            .describe("The reviewer's comment, put back from the app database by `commentRef`.")
            .optional(),
        }),
      )
      .optional(),
  }).optional(),
});

/** What an accepted action answers: the project's status and the node it touched. */
export const ActionResult = ActionRecord.extend({
  /** The node's record as it is now. */
  node: NodeView.optional(),
});
export type ActionResult = z.infer<typeof ActionResult>;

/**
 * A project's state as the API shows it (`GET /api/projects/:id`, the `state` event of its
 * stream): each long text beside its reference (`comment` beside `commentRef`…). Without the
 * workflow's own bookkeeping, which is not project data: its idempotency keys by scope
 * (`keys`) and the legacy map (`idempotency`), whose entries name the raw key a caller sent.
 */
export const ProjectStateView = ProjectState.omit({ keys: true, idempotency: true }).extend({
  nodes: z.record(NodeId, NodeView),
});
export type ProjectStateView = z.infer<typeof ProjectStateView>;

/**
 * A project's state as `GET /api/projects/:id` answers it, with planned vs actual KPIs, the
 * hypercare issues' ages, the delivery standing and the Temporal UI link.
 */
export const ProjectView = ProjectStateView.extend({
  pir: z.array(PirRow),
  /** Hypercare issues with their age at the time of the answer, open ones oldest first. */
  issueStandings: z.array(IssueStandingRow),
  /** Actual delivery (handover date, actual cost) against the delivery measures, at the answer. */
  delivery: DeliveryStanding.optional(),
  links: z.object({ temporalUi: z.string() }).optional(),
});
export type ProjectView = z.infer<typeof ProjectView>;

/** The names of everyone a project mentions, by user id. */
export const ProjectPeople = z.object({
  people: z.record(z.string(), z.object({ name: z.string(), active: z.boolean() })),
});

/** One thing the caller must act on (the interpreter's `pendingActions`, and for whom). */
export const PendingActionView = z.object({
  projectId: z.string(),
  projectName: z.string(),
  nodeId: z.string(),
  nodeName: z.string(),
  action: z.enum(PENDING_ACTIONS),
  /** Roles of the user that make this theirs: their keys, for programs. */
  roles: z.array(z.string()),
  /**
   * The same roles, in the same order, by the names the project's template gives them
   * ("Operations lead"), for people.
   */
  roleNames: z.array(z.string()),
  /** When it is due (SLA, condition or hypercare expiry), epoch ms. */
  dueAt: z.number().optional(),
  /** The deliverable, condition or issue concerned. */
  itemId: z.string().optional(),
  detail: z.string().optional(),
  /** A hypercare issue to take on or resolve (`acknowledge-issue`, `resolve-issue`). */
  issue: z
    .object({
      /** 1 = critical, 2 = major, 3 = minor. */
      severity: z.number().int(),
      /** While open, it blocks the exit of its hypercare (the node's `blockingSeverity`). */
      blocksExit: z.boolean(),
    })
    .optional(),
  /** An `answer-feedback` item's kind and text. */
  feedback: z.object({ kind: z.enum(['feedback', 'lesson']), text: z.string() }).optional(),
  /** Delegation: the participant the caller would act for. */
  onBehalfOf: z.object({ id: z.string(), name: z.string() }).optional(),
});
export type PendingActionView = z.infer<typeof PendingActionView>;

export const MarkedRead = z.object({ marked: z.number().int(), unread: z.number().int() });

export const FIRST_RUN_STEPS = ['design', 'publish', 'start', 'sign', 'escalate'] as const;
export type FirstRunStep = (typeof FIRST_RUN_STEPS)[number];
/** The PMO's first-run checklist, each step ticked off from what really happened. */
export const FirstRun = z.object({
  steps: z.array(
    z.object({
      key: z.enum(FIRST_RUN_STEPS),
      done: z.boolean(),
      /** When it was done, epoch ms. */
      at: z.number().optional(),
      /** Where it was done. */
      projectId: z.string().optional(),
    }),
  ),
  complete: z.boolean(),
  /** Their latest project, where the next steps happen. */
  project: z.object({ id: z.string(), name: z.string(), templateKey: z.string() }).optional(),
  practice: z.object({ template: z.string(), secondsPerWeek: z.number() }),
});
export type FirstRun = z.infer<typeof FirstRun>;

export const Health = z.object({ status: z.literal('ok') });
export const Readiness = z.object({
  /** `degraded`: ready, but records wait for `gatehouse records repair` (dead letters). */
  status: z.enum(['ready', 'degraded']),
  database: z.literal('ok'),
  temporal: z.literal('ok'),
  deadLetters: z.number().int(),
});
/** The OpenAPI 3.2 document itself. */
export const OpenApiDocument = z.looseObject({
  openapi: z.string(),
  paths: z.record(z.string(), z.unknown()),
});
export type OpenApiDocument = z.infer<typeof OpenApiDocument>;

export {
  InboxSummary,
  TemplateDraft,
  AdminAuditEntry,
  AuditEntry,
  DirectoryEntry,
  InboxItem,
  ProjectPerson,
  ProjectSummary,
  TemplateSummary,
  TemplateVersion,
  TemplateVersionInfo,
  TokenInfo,
  User,
};

/*
 * The interpreter's answers are plain TypeScript; these checks keep the schemas above in step
 * with them: what it returns fits the schema, field for field (a field added there and not
 * here fails to compile).
 */
type Fits<A, B> = [A] extends [B]
  ? [keyof A] extends [keyof B]
    ? [keyof B] extends [keyof A]
      ? true
      : false
    : false
  : false;
const pendingFits: Fits<PendingAction, z.infer<typeof PendingActionView>> = true;
const pirFits: Fits<ReturnType<typeof plannedVsActual>[number], z.infer<typeof PirRow>> = true;
const standingFits: Fits<IssueStanding, z.infer<typeof IssueStandingRow>> = true;
void standingFits;
void pendingFits;
void pirFits;
