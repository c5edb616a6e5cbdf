/**
 * The gate template format `gatehouse/template@1` (SPEC §2): the single source of truth.
 * Designer, API, worker and tests import these schemas; every type is `z.infer` of one.
 * Shape only: cross-references and graph rules are checked by `validateTemplate`.
 */
import { z } from 'zod';
import { isDuration, isPositiveDuration } from './duration';
import { AdkarStage } from './readiness';
import { Text } from './text';

export const TEMPLATE_SCHEMA = 'gatehouse/template@1';

/**
 * Caps of a template's texts (characters) and lists. A template travels with its project's
 * workflow (start and continue-as-new inputs), so its size counts against every payload.
 */
export const TEMPLATE_LIMITS = {
  name: 200,
  description: 2000,
  criterionText: 500,
  message: 2000,
  unit: 50,
  roles: 50,
  metrics: 50,
  nodes: 200,
  edges: 1000,
  deliverables: 50,
  criteria: 50,
  rules: 20,
  escalations: 10,
  reminders: 10,
  /** Role lists: reviewers, recipients, escalation targets. */
  roleList: 50,
  layout: 1000,
  /** Affected groups, or trained roles, of one readiness checklist. */
  readinessItems: 20,
  /** The whole template as JSON, in UTF-8 bytes. */
  bytes: 64 * 1024,
} as const;

const L = TEMPLATE_LIMITS;
const Name = Text(L.name, { min: 1 });
const Description = Text(L.description);

/** Lower-case identifier: letters, digits and single hyphens ("ops-lead", "plan-approval"). */
export const Slug = z
  .string()
  .max(64, 'at most 64 characters')
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, {
    // An empty one is not a badly spelled slug but a missing one ("no start node yet").
    error: (issue) =>
      issue.input === '' ? 'required' : 'a slug: lower-case letters, digits and single hyphens',
  });
export type Slug = z.infer<typeof Slug>;

export const NodeId = Slug;
export type NodeId = z.infer<typeof NodeId>;
export const RoleKey = Slug;
export type RoleKey = z.infer<typeof RoleKey>;

/** An ISO 8601 duration strictly greater than zero ("P28D", "PT3S"). */
export const Duration = z
  .string()
  .refine(isPositiveDuration, 'an ISO 8601 duration greater than zero, e.g. "P28D" or "PT3S"');
/** An ISO 8601 duration that may be zero ("PT0S"): escalation offsets. */
export const Offset = z.string().refine(isDuration, 'an ISO 8601 duration, e.g. "PT0S" or "P3D"');

export const OUTCOMES = ['done', 'go', 'recycle', 'hold', 'kill'] as const;
export const Outcome = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof Outcome>;
export const DECISIONS = ['go', 'recycle', 'hold', 'kill'] as const;
export const Decision = z.enum(DECISIONS);
export type Decision = z.infer<typeof Decision>;

export const Role = z.object({
  key: RoleKey,
  name: Name,
  /** An operations-side role: at least one must sit at every gate, PIR and hypercare exit. */
  operations: z.boolean().optional(),
});
export type Role = z.infer<typeof Role>;

export const Metric = z.object({
  key: Slug,
  name: Name,
  /** Unit for display ("%", "tickets/week", "min"). */
  unit: Text(L.unit).optional(),
  /** The value before the project; the PIR compares against it. */
  baseline: z.number().optional(),
  target: z.number(),
  /** Whether success means the value going up or down. */
  direction: z.enum(['increase', 'decrease']),
  /** Lowest baseline or target a project may agree for itself; default: any value. */
  min: z.number().optional(),
  /** Highest baseline or target a project may agree for itself; default: any value. */
  max: z.number().optional(),
});
export type Metric = z.infer<typeof Metric>;

export const Edge = z.object({ from: NodeId, to: NodeId, on: Outcome });
export type Edge = z.infer<typeof Edge>;

/** Quorum: at least `min` distinct users holding `role` must sign. */
export const Rule = z.object({ role: RoleKey, min: z.number().int().min(1, 'at least 1 signer') });
export type Rule = z.infer<typeof Rule>;

export const Signoff = z.object({
  rules: z
    .array(Rule)
    .min(1, 'at least one sign-off rule: a role and how many of it sign')
    .max(L.rules),
});
export type Signoff = z.infer<typeof Signoff>;

export const Deliverable = z.object({ id: Slug, name: Name, required: z.boolean() });
export type Deliverable = z.infer<typeof Deliverable>;

/** `must`: asserted met (boolean). `should`: scored 0..10 and weighted into the pass score. */
export const Criterion = z.object({
  id: Slug,
  text: Text(L.criterionText, { min: 1 }),
  kind: z.enum(['must', 'should']),
  weight: z.number().positive().optional(),
});
export type Criterion = z.infer<typeof Criterion>;

export const Escalation = z.object({
  /** Offset past the due date (SLA) or past expiry (hypercare); may be zero. */
  after: Offset,
  notify: z
    .array(RoleKey)
    .min(1, 'an escalation needs at least one role to notify')
    .max(L.roleList),
});
export type Escalation = z.infer<typeof Escalation>;

export const Sla = z.object({
  due: Duration,
  /** Reminders, each this long before `due`. */
  remind: z.array(Duration).max(L.reminders).optional(),
  escalate: z.array(Escalation).max(L.escalations).optional(),
});
export type Sla = z.infer<typeof Sla>;

/**
 * Response and resolution times of hypercare issues of one severity, with their own ladder:
 * reminders before the resolution is due, escalations past it.
 */
export const IssueSla = z.object({
  /** 1 = critical, 2 = major, 3 = minor. */
  severity: z.number().int().min(1).max(3),
  /** Time to a first response (acknowledged or answered) after the issue is raised. */
  respond: Duration,
  /** Time to resolve the issue after it is raised. */
  resolve: Duration,
  /** Reminders, each this long before the resolution is due. */
  remind: z.array(Duration).max(L.reminders).optional(),
  /** Levels past the resolution due date, each notifying its roles. */
  escalate: z.array(Escalation).max(L.escalations).optional(),
});
export type IssueSla = z.infer<typeof IssueSla>;

/** A share from 0 to 1 (0.9: 90 %). */
const Share = z.number().min(0).max(1);

/**
 * A gate's readiness checklist (SPEC §3 "Readiness"): must-criteria of a `go` that the
 * participants record as they become true. Every part is optional; an empty one asks nothing.
 */
export const Readiness = z.object({
  /** Groups the change affects, each needing to reach an ADKAR stage (default `ability`). */
  groups: z
    .array(z.object({ key: Slug, name: Name, stage: AdkarStage.optional() }))
    .max(L.readinessItems)
    .optional(),
  /** Roles of the affected organisation to train: trained / total people must reach `min`. */
  training: z
    .object({
      /** The coverage every role needs unless it sets its own. */
      min: Share,
      roles: z
        .array(z.object({ key: Slug, name: Name, min: Share.optional() }))
        .min(1, 'training needs at least one role to train')
        .max(L.readinessItems),
    })
    .optional(),
  /** A `go` needs an operations participant's confirmation that the support model is in place. */
  supportModel: z.boolean().optional(),
});
export type Readiness = z.infer<typeof Readiness>;

const nodeBase = {
  id: NodeId,
  name: Name,
  description: Description.optional(),
  /** The role that acts on this node (completes a stage, is notified first). */
  owner: RoleKey.optional(),
  /**
   * Roles that own the node jointly with `owner` ("project team with operations lead"): any
   * of them may do what the owner does and each is told what the owner is told.
   */
  owners: z.array(RoleKey).max(L.roleList).optional(),
};

export const StageNode = z.object({
  ...nodeBase,
  type: z.literal('stage'),
  deliverables: z.array(Deliverable).max(L.deliverables),
  sla: Sla.optional(),
});
export const GateNode = z.object({
  ...nodeBase,
  type: z.literal('gate'),
  signoff: Signoff,
  criteria: z.array(Criterion).max(L.criteria).optional(),
  /** Minimum weighted `should` score (0..1) a `go` signer must give. */
  passScore: z.number().min(0).max(1).optional(),
  deliverables: z.array(Deliverable).max(L.deliverables).optional(),
  sla: Sla.optional(),
  /** Decisions signers may take here; default all four. */
  decisions: z
    .array(Decision)
    .min(1, 'a gate needs at least one decision')
    .max(DECISIONS.length)
    .optional(),
  /** Lets this gate run without an operations role among its signers. */
  opsOptional: z.boolean().optional(),
  /**
   * A `go` here needs an operations role's agreement to the project's metrics as they stand
   * (ProjectMetrics): "operations agreed the success metrics". Default false.
   */
  metricsAgreed: z.boolean().optional(),
  /**
   * Metric keys this gate shows with the values recorded so far against baseline and target
   * (a pilot review compares the pilot's KPIs); default none.
   */
  metrics: z.array(Slug).max(L.metrics).optional(),
  /** A readiness checklist a `go` waits for (affected groups' ADKAR stage, training, support). */
  readiness: Readiness.optional(),
});
export const HypercareNode = z.object({
  ...nodeBase,
  type: z.literal('hypercare'),
  duration: Duration,
  extendBy: Duration.optional(),
  maxExtensions: z.number().int().min(0).optional(),
  exit: Signoff,
  escalation: z.array(Escalation).max(L.escalations),
  /**
   * Open issues of this severity or a more severe one (1 = critical … 3 = minor) block the
   * early exit and extend hypercare at expiry; default 2 (critical and major block).
   */
  blockingSeverity: z.number().int().min(1).max(3).optional(),
  /** Roles told that hypercare started; default: the operations roles and the exit signers. */
  notifyStart: z.array(RoleKey).max(L.roleList).optional(),
  /**
   * Roles told of each raised issue, who also respond to it with the owners; default: the
   * operations roles.
   */
  notifyIssues: z.array(RoleKey).max(L.roleList).optional(),
  /** Response and resolution times per severity; a severity not listed has none. */
  issueSla: z.array(IssueSla).max(3).optional(),
});
export const ReviewNode = z.object({
  ...nodeBase,
  type: z.literal('review'),
  signoff: Signoff,
  /** Scored like a gate's: each `go` sign-off answers them; default none. */
  criteria: z.array(Criterion).max(L.criteria).optional(),
  /** Minimum weighted `should` score (0..1) a `go` signer must give. */
  passScore: z.number().min(0).max(1).optional(),
  /** Metric keys the PIR compares; default all. */
  metrics: z.array(Slug).max(L.metrics).optional(),
});
export const MonitorNode = z.object({
  ...nodeBase,
  type: z.literal('monitor'),
  every: Duration,
  reviewers: z.array(RoleKey).min(1, 'a monitor needs at least one reviewer role').max(L.roleList),
  /** Consecutive off-target reviews before `escalate` is notified; default 2. */
  alertAfter: z.number().int().min(1).optional(),
  escalate: z.array(RoleKey).max(L.roleList).optional(),
  /**
   * Each review is an action of the reviewers, due this long after its period ends: values
   * recorded, a decision and follow-up actions; not done by then, it escalates, and a metric
   * with no value in its period counts as a miss. Absent: a review is a notification only.
   */
  reviewWithin: Duration.optional(),
});
export const NotifyNode = z.object({
  ...nodeBase,
  type: z.literal('notify'),
  to: z.array(RoleKey).min(1, 'a notification needs at least one role to notify').max(L.roleList),
  message: Text(L.message, { min: 1 }),
});
export const EndNode = z.object({
  ...nodeBase,
  type: z.literal('end'),
  result: z.enum(['completed', 'killed', 'cancelled']),
});

export const Node = z.discriminatedUnion('type', [
  StageNode,
  GateNode,
  HypercareNode,
  ReviewNode,
  MonitorNode,
  NotifyNode,
  EndNode,
]);
export type Node = z.infer<typeof Node>;
export type NodeType = Node['type'];
export type NodeOf<T extends NodeType> = Extract<Node, { type: T }>;
export const NODE_TYPES = [
  'stage',
  'gate',
  'hypercare',
  'review',
  'monitor',
  'notify',
  'end',
] as const satisfies readonly NodeType[];

export const Position = z.object({ x: z.number(), y: z.number() });

/**
 * How a project's actual delivery is measured against its delivery measures (target date,
 * budget). Every part is optional; an absent one takes the default named on it.
 */
export const TemplateDelivery = z.object({
  /**
   * The node whose passing (a gate's `go`, any other node's `done`) hands the result over: its
   * time is the project's actual delivery date. Default: the node whose edge enters the first
   * hypercare node (the handoff gate); a template without hypercare: the project's completion.
   */
  handover: NodeId.optional(),
  /** Roles that record the project's actual cost besides the PMO; default: the start node's owners. */
  costBy: z.array(RoleKey).max(L.roleList).optional(),
});
export type TemplateDelivery = z.infer<typeof TemplateDelivery>;

export const Template = z.object({
  schema: z.literal(TEMPLATE_SCHEMA),
  key: Slug,
  name: Name,
  description: Description.optional(),
  roles: z.array(Role).min(1, 'a template needs at least one role').max(L.roles),
  metrics: z.array(Metric).max(L.metrics).optional(),
  /** Which node hands the result over and who records the actual cost (defaults: see there). */
  delivery: TemplateDelivery.optional(),
  start: NodeId,
  nodes: z.array(Node).min(1, 'a template needs at least one node').max(L.nodes),
  edges: z.array(Edge).max(L.edges),
  /** Designer positions; ignored by the runtime. */
  layout: z
    .record(z.string().max(64), Position)
    .refine((layout) => Object.keys(layout).length <= L.layout, {
      message: `at most ${L.layout} positions`,
    })
    .optional(),
});
export type Template = z.infer<typeof Template>;

/** Outcomes each node type can produce (SPEC §2 table). */
export function outcomesOf(node: Node): readonly Outcome[] {
  switch (node.type) {
    case 'gate':
      return node.decisions ?? DECISIONS;
    case 'end':
      return [];
    default:
      return ['done'];
  }
}
