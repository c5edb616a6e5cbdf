/**
 * Every project action, defined once (STYLE §12): its route (method, path, parameters, body
 * schema with caps, success status), who may call that route, the
 * interpreter's command it becomes, and what its idempotency key is scoped to. The key of each
 * entry is the action's stable name: the Temporal Update name (recorded histories hold it:
 * never rename one) and the route name of the contract. The command union, the Update
 * definitions, the workflow's handlers, the API's routes and handler and the designer's client
 * are all derived from this table; a new action is one more entry (plus its rule).
 */
import { z } from 'zod';
import {
  AcknowledgeIssueBody,
  Actor,
  AgreeMetricsBody,
  ReadinessBody,
  RecordCostBody,
  KpiReviewBody,
  SetMetricsBody,
  CompleteBody,
  ConditionMetBody,
  DeliverableBody,
  FeedbackBody,
  FeedbackStatusBody,
  InputRevision,
  KpiBody,
  MigrateBody,
  RaiseIssueBody,
  ReassignBody,
  ReasonBody,
  ResolveIssueBody,
  RespondIssueBody,
  ReviewActionBody,
  ReviewActionDoneBody,
  ReviewDecisionBody,
  SignoffBody,
} from './commands';
import { NodeId, Slug, Template } from './template';

/** A project, issue or condition id in a path: letters, digits and `. _ : -`. */
export const PathId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits, . _ : -');
export const ProjectParams = z.object({ id: PathId });
const NodeParams = ProjectParams.extend({ nodeId: NodeId });

type Body = z.ZodObject | z.ZodOptional<z.ZodObject>;

/** One row of the table, as written. */
interface ActionRow<C extends string, P extends z.ZodObject, B extends Body> {
  /** The interpreter's command `type`. */
  command: C;
  path: string;
  summary: string;
  /** Who may call the route; the workflow then decides what this caller may do here. */
  access: 'project' | 'pmo';
  /** Path parameters, `id` (the project) first. */
  params: P;
  /** The request body, every text and list capped; optional when every field is. */
  body: B;
  status: 200 | 201;
  /**
   * Input fields naming what the action acts on: an idempotency key is scoped to (caller,
   * action, these fields' values).
   */
  target: readonly string[];
  /** Input fields the API adds besides path and body (loaded from its database). */
  extra?: z.ZodRawShape;
}

type Unwrapped<B extends Body> = B extends z.ZodOptional<infer O extends z.ZodObject> ? O : B;
type ShapeOf<O> = O extends z.ZodObject<infer S> ? S : never;
type Extra<E> = E extends z.ZodRawShape ? E : Record<never, never>;
type InputShape<P extends z.ZodObject, B extends Body, E> = {
  actor: typeof Actor;
  rev: z.ZodOptional<typeof InputRevision>;
} & Omit<ShapeOf<P>, 'id'> &
  ShapeOf<Unwrapped<B>> &
  Extra<E>;

/** The body's own object schema (an optional body is an object whose fields are optional). */
export function bodyFields<B extends Body>(body: B): Unwrapped<B> {
  // TypeScript cannot follow a conditional type through `instanceof`: the check is exact.
  return (body instanceof z.ZodOptional ? body.unwrap() : body) as Unwrapped<B>;
}

/** A row plus what is derived from it: the Update input and the command schemas. */
function action<
  const C extends string,
  P extends z.ZodObject,
  B extends Body,
  const E extends z.ZodRawShape | undefined = undefined,
>(row: ActionRow<C, P, B> & { extra?: E }) {
  const { id: _project, ...params } = row.params.shape;
  const shape = {
    actor: Actor,
    rev: InputRevision.optional(),
    ...params,
    ...bodyFields(row.body).shape,
    ...row.extra,
  } as InputShape<P, B, E>; // spreads of generic shapes: TypeScript keeps only the literal part
  const input = z.object(shape);
  return {
    ...row,
    method: 'post' as const,
    /** What the workflow's Update takes: the caller, path parameters, body and extras. */
    input,
    /** The interpreter's command: the input tagged with its `type`. */
    commandSchema: input.extend({ type: z.literal(row.command) }),
  };
}

const reason = (summary: string, path: string) =>
  ({
    path: `/api/projects/:id/${path}`,
    summary,
    access: 'project',
    params: ProjectParams,
    body: ReasonBody,
    status: 200,
    target: [],
  }) as const;

export const ACTIONS = {
  signoff: action({
    command: 'signoff',
    path: '/api/projects/:id/nodes/:nodeId/signoffs',
    summary: 'Sign a gate, review or hypercare exit off',
    access: 'project',
    params: NodeParams,
    body: SignoffBody,
    status: 200,
    target: ['nodeId'],
  }),
  submitDeliverable: action({
    command: 'deliverable',
    path: '/api/projects/:id/nodes/:nodeId/deliverables/:deliverableId',
    summary: 'Submit a deliverable',
    access: 'project',
    params: NodeParams.extend({ deliverableId: Slug }),
    body: DeliverableBody,
    status: 200,
    target: ['nodeId', 'deliverableId'],
  }),
  completeStage: action({
    command: 'complete',
    path: '/api/projects/:id/nodes/:nodeId/complete',
    summary: 'Complete a stage',
    access: 'project',
    params: NodeParams,
    body: CompleteBody.optional(),
    status: 200,
    target: ['nodeId'],
  }),
  raiseIssue: action({
    command: 'raiseIssue',
    path: '/api/projects/:id/issues',
    summary: 'Raise a hypercare issue (severity 1 = critical … 3 = minor)',
    access: 'project',
    params: ProjectParams,
    body: RaiseIssueBody,
    status: 201,
    target: [],
  }),
  resolveIssue: action({
    command: 'resolveIssue',
    path: '/api/projects/:id/issues/:issueId/resolve',
    summary: 'Resolve a hypercare issue',
    access: 'project',
    params: ProjectParams.extend({ issueId: PathId }),
    body: ResolveIssueBody.optional(),
    status: 200,
    target: ['issueId'],
  }),
  acknowledgeIssue: action({
    command: 'acknowledgeIssue',
    path: '/api/projects/:id/issues/:issueId/acknowledge',
    summary: 'Take a hypercare issue on (its first response)',
    access: 'project',
    params: ProjectParams.extend({ issueId: PathId }),
    body: AcknowledgeIssueBody.optional(),
    status: 200,
    target: ['issueId'],
  }),
  respondToIssue: action({
    command: 'respondToIssue',
    path: '/api/projects/:id/issues/:issueId/respond',
    summary: 'Respond to a hypercare issue (counts as its first response)',
    access: 'project',
    params: ProjectParams.extend({ issueId: PathId }),
    body: RespondIssueBody,
    status: 200,
    target: ['issueId'],
  }),
  extendHypercare: action({
    command: 'extendHypercare',
    ...reason('Extend hypercare', 'hypercare/extend'),
  }),
  recordKpi: action({
    command: 'recordKpi',
    path: '/api/projects/:id/kpis',
    summary: 'Record a KPI value',
    access: 'project',
    params: ProjectParams,
    body: KpiBody,
    status: 201,
    target: ['metric'],
  }),
  setMetrics: action({
    command: 'setMetrics',
    path: '/api/projects/:id/metrics',
    summary: "Set the project's own metric baselines and targets and its delivery measures",
    access: 'project',
    params: ProjectParams,
    body: SetMetricsBody,
    status: 200,
    target: [],
  }),
  agreeMetrics: action({
    command: 'agreeMetrics',
    path: '/api/projects/:id/metrics/agree',
    summary: "Operations agree the project's metrics as they stand",
    access: 'project',
    params: ProjectParams,
    body: AgreeMetricsBody.optional(),
    status: 200,
    target: [],
  }),
  recordCost: action({
    command: 'recordCost',
    path: '/api/projects/:id/cost',
    summary: "Record the project's actual cost to date (its cost recorders or the PMO)",
    access: 'project',
    params: ProjectParams,
    body: RecordCostBody,
    status: 200,
    target: [],
  }),
  recordReadiness: action({
    command: 'recordReadiness',
    path: '/api/projects/:id/nodes/:nodeId/readiness',
    summary: "Record a gate's readiness: groups' ADKAR stages, training counts, support model",
    access: 'project',
    params: NodeParams,
    body: ReadinessBody,
    status: 200,
    target: ['nodeId'],
  }),
  kpiReview: action({
    command: 'kpiReview',
    path: '/api/projects/:id/nodes/:nodeId/kpi-reviews',
    summary: "Do a monitor's open KPI review: values, a decision and follow-up actions",
    access: 'project',
    params: NodeParams,
    body: KpiReviewBody,
    status: 201,
    target: ['nodeId'],
  }),
  feedback: action({
    command: 'feedback',
    path: '/api/projects/:id/feedback',
    summary: 'Post feedback or a lesson learned',
    access: 'project',
    params: ProjectParams,
    body: FeedbackBody,
    status: 201,
    target: [],
  }),
  setFeedbackStatus: action({
    command: 'feedbackStatus',
    path: '/api/projects/:id/feedback/:feedbackId/status',
    summary: 'Acknowledge feedback, or close it as acted on or declined, with a response',
    access: 'project',
    params: ProjectParams.extend({ feedbackId: PathId }),
    body: FeedbackStatusBody,
    status: 200,
    target: ['feedbackId'],
  }),
  conditionMet: action({
    command: 'conditionMet',
    path: '/api/projects/:id/conditions/:conditionId/met',
    summary: 'Mark a Conditional Go condition met',
    access: 'project',
    params: ProjectParams.extend({ conditionId: PathId }),
    body: ConditionMetBody.optional(),
    status: 200,
    target: ['conditionId'],
  }),
  recordReviewDecision: action({
    command: 'reviewDecision',
    path: '/api/projects/:id/nodes/:nodeId/review-decisions',
    summary: 'Record a decision of the current post-implementation review (its reviewers)',
    access: 'project',
    params: NodeParams,
    body: ReviewDecisionBody,
    status: 201,
    target: ['nodeId'],
  }),
  recordReviewAction: action({
    command: 'reviewAction',
    path: '/api/projects/:id/nodes/:nodeId/review-actions',
    summary: 'Set a follow-up action of the current post-implementation review (its reviewers)',
    access: 'project',
    params: NodeParams,
    body: ReviewActionBody,
    status: 201,
    target: ['nodeId'],
  }),
  completeReviewAction: action({
    command: 'reviewActionDone',
    path: '/api/projects/:id/review-actions/:actionId/done',
    summary: "Complete a review's follow-up action (its owner), with a note",
    access: 'project',
    params: ProjectParams.extend({ actionId: PathId }),
    body: ReviewActionDoneBody.optional(),
    status: 200,
    target: ['actionId'],
  }),
  resume: action({ command: 'resume', ...reason('Resume a project on hold', 'resume') }),
  retire: action({ command: 'retire', ...reason('Retire a monitored project', 'retire') }),
  cancel: action({ command: 'cancel', ...reason('Cancel a project', 'cancel') }),
  reassign: action({
    command: 'reassign',
    path: '/api/projects/:id/participants/reassign',
    summary: 'Replace a participant by another user in one role (PMO)',
    access: 'pmo',
    params: ProjectParams,
    body: ReassignBody,
    status: 200,
    target: ['role', 'from'],
  }),
  migrate: action({
    command: 'migrate',
    path: '/api/projects/:id/migrate',
    summary: 'Move to another published version of its template',
    access: 'pmo',
    params: ProjectParams,
    body: MigrateBody,
    status: 200,
    target: [],
    extra: {
      /** The published template of that version; the API loads it, the workflow checks it. */
      template: Template,
      /**
       * The last instant (ISO 8601, UTC) at which the project may still apply this migration:
       * a bulk migration's attempt sets it to its own deadline, so a late Update is refused
       * (`migration_expired`) instead of moving a project its job has given up. The route
       * never sets it.
       */
      notAfter: z.iso.datetime().optional(),
    },
  }),
};

export type Actions = typeof ACTIONS;
export type ActionName = keyof Actions;
export const ACTION_NAMES = Object.keys(ACTIONS) as ActionName[];

export function isActionName(name: string): name is ActionName {
  return Object.hasOwn(ACTIONS, name);
}

/** The Update input of action `K`. */
export type ActionInput<K extends ActionName = ActionName> = z.infer<Actions[K]['input']>;

/** Every command the lifecycle interpreter understands, tagged by `type`. */
export type Command = z.infer<Actions[ActionName]['commandSchema']>;
export type CommandType = Command['type'];
/** The command of one type. */
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;

/** The action (Update and route name) a command type belongs to. */
export function actionOf(type: CommandType): ActionName {
  return ACTION_NAMES.find((name) => ACTIONS[name].command === type)!;
}
