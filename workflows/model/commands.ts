/**
 * The request bodies of every project action (SPEC §4), each free text and list with an
 * explicit cap, and the workflow's input. The action table (./actions.ts) turns these bodies
 * into Update inputs and commands; the API and the Update validators parse with the same
 * schemas, so a cap or a refused character answers the same (422) wherever it is met.
 */
import { z } from 'zod';
import { Decision, Duration, RoleKey, Slug, Template } from './template';
import { Text } from './text';
import { AdkarStage } from './readiness';

/**
 * Caps of every free text (characters: Unicode code points) and list of the actions. They keep
 * a project's workflow state and every payload small (README "Bounded state").
 */
export const LIMITS = {
  userId: 64,
  idempotencyKey: 200,
  projectName: 200,
  /** Sign-off comments, resolution and condition notes. */
  comment: 4000,
  /** Reasons of extend, resume, retire and cancel. */
  reason: 1000,
  issueTitle: 150,
  conditionText: 200,
  conditionsPerSignoff: 10,
  criteriaAnswers: 50,
  deliverableText: 20_000,
  url: 2000,
  feedbackText: 4000,
  usersPerRole: 20,
  participantRoles: 50,
  /** Obligations a project holds at once, open or settled, plus conditions on pending votes. */
  conditionsPerProject: 30,
  /** Hypercare issues per project, open or resolved. */
  issuesPerProject: 50,
  /** Metrics (or values) one metrics update or KPI review names. */
  metricsPerUpdate: 50,
  /** A review decision's text. */
  reviewDecisionText: 500,
  /** Decisions one visit of a review takes (its record keeps as many of earlier visits'). */
  reviewDecisions: 20,
  /** Groups or roles one readiness record names. */
  readinessPerUpdate: 20,
  /** People counted in one trained role. */
  peoplePerRole: 1_000_000,
} as const;

/**
 * Marks an Update input as sent by this revision of the API: severity 1 is critical,
 * idempotency keys are scoped to (caller, action, target), conditions are tracked on every
 * `go` and the participants must be able to staff a migrated version. Inputs recorded in
 * histories before it carry no `rev`; the workflow reads those the way they were meant.
 */
export const INPUT_REVISION = 2;
export const InputRevision = z.literal(INPUT_REVISION);

/** "2027-03-31" yes, "2027-02-30" no. */
function isCalendarDate(date: string): boolean {
  const at = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(at) && new Date(at).toISOString().startsWith(date);
}
/** A calendar date, YYYY-MM-DD. */
export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine(isCalendarDate, 'a calendar date');

/** Who acts. The API authenticates; the workflow decides what that user may do here. */
export const Actor = z.object({
  userId: z.string().min(1).max(LIMITS.userId),
  /** The caller has the PMO flag (may resume, cancel, migrate, retire). */
  pmo: z.boolean().optional(),
});
export type Actor = z.infer<typeof Actor>;

/**
 * Makes a retry safe: scoped to (caller, action, target), the same key with the same body
 * answers the first result again; with another body it is refused (SPEC §3).
 */
export const IdempotencyKey = z
  .string()
  .min(1)
  .max(LIMITS.idempotencyKey)
  .regex(/^[\x21-\x7e]+$/, 'visible ASCII characters, no spaces');

/** A user id among a project's participants. */
export const ParticipantId = z.string().min(1).max(LIMITS.userId);

export const ConditionInput = z.object({
  text: Text(LIMITS.conditionText, { trim: true, min: 1 }),
  due: Duration,
  owner: RoleKey,
});
export type ConditionInput = z.infer<typeof ConditionInput>;

/** Criterion answers: `must` criteria as booleans, `should` criteria scored 0..10. */
export const CriteriaAnswers = z
  .record(Slug, z.union([z.boolean(), z.number().min(0).max(10)]))
  .refine((answers) => Object.keys(answers).length <= LIMITS.criteriaAnswers, {
    message: `at most ${LIMITS.criteriaAnswers} answers`,
  });

const key = { idempotencyKey: IdempotencyKey.optional() };

export const SignoffBody = z.object({
  decision: Decision,
  /** Which of the signer's roles this vote counts for; chosen automatically when absent. */
  role: RoleKey.optional(),
  comment: Text(LIMITS.comment).optional(),
  criteria: CriteriaAnswers.optional(),
  /** Conditional Go: obligations that start when the gate, review or hypercare exit passes. */
  conditions: z.array(ConditionInput).max(LIMITS.conditionsPerSignoff).optional(),
  /**
   * Delegation: the participant this vote is cast for. The API lets the caller send it only
   * while that participant delegates this project to them; the vote is that participant's.
   */
  onBehalfOf: z.string().min(1).max(LIMITS.userId).optional(),
  ...key,
});
/** A link people will open: only http(s) (never `javascript:`, `data:`, `file:` …). */
export const WebUrl = Text(LIMITS.url).pipe(
  z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }),
);
export const DeliverableBody = z
  .object({
    url: WebUrl.optional(),
    text: Text(LIMITS.deliverableText).optional(),
    ...key,
  })
  .refine((b) => b.url !== undefined || b.text !== undefined, {
    message: 'give a url or a text',
    path: ['url'],
  });
export const CompleteBody = z.object({ ...key });
export const RaiseIssueBody = z.object({
  /** 1 = critical, 2 = major, 3 = minor (incident practice). */
  severity: z.number().int().min(1).max(3),
  title: Text(LIMITS.issueTitle, { trim: true, min: 1 }),
  ...key,
});
export const ResolveIssueBody = z.object({
  note: Text(LIMITS.comment).optional(),
  ...key,
});
/** Takes a hypercare issue on (its first response); the note says what happens next. */
export const AcknowledgeIssueBody = z.object({
  note: Text(LIMITS.comment).optional(),
  ...key,
});
/** A response to a hypercare issue's raiser: a workaround, an update, a question. */
export const RespondIssueBody = z.object({
  text: Text(LIMITS.comment, { trim: true, min: 1 }),
  ...key,
});
export const ReasonBody = z.object({
  reason: Text(LIMITS.reason, { trim: true, min: 1 }),
  ...key,
});
export const KpiBody = z.object({
  metric: Slug,
  value: z.number().finite(),
  /** When the value was measured (ISO 8601); defaults to now. */
  at: z.iso.datetime({ offset: true }).optional(),
  ...key,
});
export const FeedbackBody = z.object({
  kind: z.enum(['feedback', 'lesson']),
  text: Text(LIMITS.feedbackText, { trim: true, min: 1 }),
  ...key,
});
/** A feedback item's next status, with who owns it and what was done (or why not). */
export const FeedbackStatusBody = z.object({
  status: z.enum(['acknowledged', 'acted_on', 'declined']),
  /** Required to close an item: what was done about it, or why not. */
  response: Text(LIMITS.feedbackText, { trim: true, min: 1 }).optional(),
  /** A participant who owns what happens next; default: the caller. */
  owner: z.string().min(1).max(LIMITS.userId).optional(),
  ...key,
});
export const ConditionMetBody = z.object({
  note: Text(LIMITS.comment).optional(),
  ...key,
});
/** A baseline and a target a project agrees for one metric (within the template's range). */
export const MetricValues = z.object({
  baseline: z.number().finite().optional(),
  target: z.number().finite().optional(),
});
/** An ISO 4217 currency code ("EUR"). */
const Currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code, e.g. "EUR"');
/** Project-delivery measures standing beside the operational metrics. */
export const DeliveryMeasures = z.object({
  /** The date the project commits to deliver by (YYYY-MM-DD). */
  targetDate: CalendarDate.optional(),
  /** The budget the project commits to, in `currency`. */
  budget: z.number().finite().nonnegative().optional(),
  /** ISO 4217 code ("EUR"). */
  currency: Currency.optional(),
});
export type DeliveryMeasures = z.infer<typeof DeliveryMeasures>;
/**
 * Co-created metrics: the project's own baseline and target per metric (each given field
 * replaces the project's current value) and its delivery measures (replaced as a whole).
 */
export const SetMetricsBody = z.object({
  metrics: z
    .record(Slug, MetricValues)
    .refine((m) => Object.keys(m).length <= LIMITS.metricsPerUpdate, {
      message: `at most ${LIMITS.metricsPerUpdate} metrics`,
    })
    .optional(),
  delivery: DeliveryMeasures.optional(),
  ...key,
});
/**
 * The project's actual cost as it stands (cost to date; final once the PIR is signed off): it
 * replaces what was recorded before.
 */
export const RecordCostBody = z.object({
  spent: z.number().finite().nonnegative(),
  /** ISO 4217 code; default and only choice once a budget is set: the budget's currency. */
  currency: Currency.optional(),
  comment: Text(LIMITS.comment).optional(),
  ...key,
});
/** Operations agree the project's metrics as they stand. */
export const AgreeMetricsBody = z.object({
  comment: Text(LIMITS.comment).optional(),
  /**
   * The version of the metrics the approver saw: the project state's `metrics.changedAt`
   * (ms since the epoch), or `null` when the project had set none (the template's). When the
   * metrics changed since, the agreement is refused (`metrics_changed`, 409); absent: agree
   * to the metrics as they stand.
   */
  metricsChangedAt: z
    .number()
    .int()
    .nonnegative()
    .nullable()
    .optional()
    .describe(
      "The project's metrics.changedAt as shown to the approver (null: none set); refused with 409 metrics_changed once the metrics changed since",
    ),
  ...key,
});
export const KPI_DECISIONS = ['keep', 'act', 'escalate'] as const;
/** What a KPI review decides: keep course, act (with follow-up actions), or escalate. */
export const KpiDecision = z.enum(KPI_DECISIONS);
export type KpiDecision = z.infer<typeof KpiDecision>;
/** A monitor's reviewers do the open KPI review. */
export const KpiReviewBody = z.object({
  /** Values measured for this period, by metric key (recorded as KPI readings). */
  values: z
    .record(Slug, z.number().finite())
    .refine((v) => Object.keys(v).length <= LIMITS.metricsPerUpdate, {
      message: `at most ${LIMITS.metricsPerUpdate} values`,
    })
    .optional(),
  decision: KpiDecision,
  comment: Text(LIMITS.comment).optional(),
  /** Follow-up actions: each an obligation of its owner role, due this long from now. */
  actions: z.array(ConditionInput).max(LIMITS.conditionsPerSignoff).optional(),
  /**
   * Delegation: the reviewer this review is done for. The API lets the caller send it only
   * while that reviewer delegates this project to them; the review is done in their role.
   */
  onBehalfOf: z.string().min(1).max(LIMITS.userId).optional(),
  ...key,
});
/**
 * A follow-up action a post-implementation review sets: an obligation of its owner (a role,
 * or one participant), due after an ISO duration or at the end (UTC) of a calendar date.
 */
export const ReviewActionBody = z
  .object({
    text: Text(LIMITS.conditionText, { trim: true, min: 1 }),
    due: z.union([Duration, CalendarDate], {
      error: 'an ISO 8601 duration ("P14D") or a date as YYYY-MM-DD',
    }),
    /** The role that owns it; with `assignee`, the role the participant acts in. */
    owner: RoleKey.optional(),
    /** The participant who owns it (user id); default: anyone holding `owner`. */
    assignee: ParticipantId.optional(),
    ...key,
  })
  .refine((b) => b.owner !== undefined || b.assignee !== undefined, {
    message: 'name an owner role or a participant (assignee)',
    path: ['owner'],
  });
/** A decision a post-implementation review records. */
export const ReviewDecisionBody = z.object({
  text: Text(LIMITS.reviewDecisionText, { trim: true, min: 1 }),
  ...key,
});
/** A review's follow-up action done, with what was done. */
export const ReviewActionDoneBody = z.object({
  note: Text(LIMITS.comment).optional(),
  ...key,
});
/** People trained of the people in one role, as counted now. */
export const TrainingCount = z.object({
  trained: z.number().int().nonnegative().max(LIMITS.peoplePerRole),
  total: z.number().int().positive().max(LIMITS.peoplePerRole),
});
const readinessItems = <T extends z.ZodType>(value: T) =>
  z.record(Slug, value).refine((m) => Object.keys(m).length <= LIMITS.readinessPerUpdate, {
    message: `at most ${LIMITS.readinessPerUpdate} entries`,
  });
/**
 * Participants record a gate's readiness as it stands: each named group's ADKAR stage and
 * role's training count replaces what was recorded; the support model is an operations
 * participant's yes or no.
 */
export const ReadinessBody = z.object({
  /** ADKAR stage reached, by affected group key. */
  adkar: readinessItems(AdkarStage).optional(),
  /** Training counts, by trained role key. */
  training: readinessItems(TrainingCount).optional(),
  /** Whether the support model is in place (operations only). */
  supportModel: z.object({ inPlace: z.boolean() }).optional(),
  comment: Text(LIMITS.comment).optional(),
  ...key,
});
/** The PMO replaces one participant by another in one role of a running project. */
export const ReassignBody = z.object({
  role: RoleKey,
  /** The participant who leaves the role. */
  from: z.string().min(1).max(LIMITS.userId),
  /** The user who takes the role over (an active user; the API checks). */
  to: z.string().min(1).max(LIMITS.userId),
  reason: Text(LIMITS.reason, { trim: true, min: 1 }).optional(),
  ...key,
});
export const MigrateBody = z.object({
  version: z.number().int().min(1),
  ...key,
});

/** Participants of a project: user ids per role key. */
export const Participants = z
  .record(RoleKey, z.array(ParticipantId).max(LIMITS.usersPerRole))
  .refine((p) => Object.keys(p).length <= LIMITS.participantRoles, {
    message: `at most ${LIMITS.participantRoles} roles`,
  });
export type Participants = z.infer<typeof Participants>;

/** Input of the `projectLifecycle` workflow: the template version is pinned here. */
export const ProjectInput = z.object({
  projectId: z.string().min(1).max(200),
  name: Text(LIMITS.projectName, { trim: true, min: 1 }),
  template: Template,
  version: z.number().int().min(1),
  participants: Participants,
  /** The PMO user who started the project; receives PMO notifications. */
  startedBy: z.string().min(1),
  /**
   * When the API started the project (epoch ms, its own clock): the time it lists the project
   * with at once, and so the project's start time. Absent: the workflow's clock at its start.
   */
  startedAt: z.number().int().min(0).optional(),
  /**
   * The API revision that started the project (see INPUT_REVISION): its template reads
   * severities as incidents do. Absent in projects started before.
   */
  rev: InputRevision.optional(),
  options: z
    .object({
      /** Continue-as-new after this many monitor reviews (bounded history). */
      reviewsPerRun: z.number().int().min(1).optional(),
    })
    .optional(),
});
export type ProjectInput = z.infer<typeof ProjectInput>;
