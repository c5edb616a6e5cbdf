/**
 * The request bodies of every project action (SPEC §4), each free text and list with an
 * explicit cap, and the workflow's input. The action table (./actions.ts) turns these bodies
 * into Update inputs and commands; the API and the Update validators parse with the same
 * schemas, so a cap or a refused character answers the same (422) wherever it is met.
 */
import { z } from 'zod';
import { Decision, Duration, RoleKey, Slug, Template } from './template';
import { Text } from './text';

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
} as const;

/**
 * Marks an Update input as sent by this revision of the API: severity 1 is critical,
 * idempotency keys are scoped to (caller, action, target), conditions are tracked on every
 * `go` and the participants must be able to staff a migrated version. Inputs recorded in
 * histories before it carry no `rev`; the workflow reads those the way they were meant.
 */
export const INPUT_REVISION = 2;
export const InputRevision = z.literal(INPUT_REVISION);

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
export const ConditionMetBody = z.object({
  note: Text(LIMITS.comment).optional(),
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

/** A user id among a project's participants. */
export const ParticipantId = z.string().min(1).max(LIMITS.userId);

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
