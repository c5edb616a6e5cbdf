/**
 * The gate template format `gatehouse/template@1` (SPEC §2): the single source of truth.
 * Designer, API, worker and tests import these schemas; every type is `z.infer` of one.
 * Shape only: cross-references and graph rules are checked by `validateTemplate`.
 */
import { z } from 'zod';
import { isDuration, isPositiveDuration } from './duration';

export const TEMPLATE_SCHEMA = 'gatehouse/template@1';

/** Lower-case identifier: letters, digits and single hyphens ("ops-lead", "plan-approval"). */
export const Slug = z
  .string()
  .max(64, 'at most 64 characters')
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a slug: lower-case letters, digits and single hyphens');
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
  name: z.string().min(1),
  /** An operations-side role: at least one must sit at every gate, PIR and hypercare exit. */
  operations: z.boolean().optional(),
});
export type Role = z.infer<typeof Role>;

export const Metric = z.object({
  key: Slug,
  name: z.string().min(1),
  /** Unit for display ("%", "tickets/week", "min"). */
  unit: z.string().optional(),
  /** The value before the project; the PIR compares against it. */
  baseline: z.number().optional(),
  target: z.number(),
  /** Whether success means the value going up or down. */
  direction: z.enum(['increase', 'decrease']),
});
export type Metric = z.infer<typeof Metric>;

export const Edge = z.object({ from: NodeId, to: NodeId, on: Outcome });
export type Edge = z.infer<typeof Edge>;

/** Quorum: at least `min` distinct users holding `role` must sign. */
export const Rule = z.object({ role: RoleKey, min: z.number().int().min(1) });
export type Rule = z.infer<typeof Rule>;

export const Signoff = z.object({ rules: z.array(Rule).min(1) });
export type Signoff = z.infer<typeof Signoff>;

export const Deliverable = z.object({ id: Slug, name: z.string().min(1), required: z.boolean() });
export type Deliverable = z.infer<typeof Deliverable>;

/** `must`: asserted met (boolean). `should`: scored 0..10 and weighted into the pass score. */
export const Criterion = z.object({
  id: Slug,
  text: z.string().min(1),
  kind: z.enum(['must', 'should']),
  weight: z.number().positive().optional(),
});
export type Criterion = z.infer<typeof Criterion>;

export const Escalation = z.object({
  /** Offset past the due date (SLA) or past expiry (hypercare); may be zero. */
  after: Offset,
  notify: z.array(RoleKey).min(1),
});
export type Escalation = z.infer<typeof Escalation>;

export const Sla = z.object({
  due: Duration,
  /** Reminders, each this long before `due`. */
  remind: z.array(Duration).optional(),
  escalate: z.array(Escalation).optional(),
});
export type Sla = z.infer<typeof Sla>;

const nodeBase = {
  id: NodeId,
  name: z.string().min(1),
  description: z.string().optional(),
  /** The role that acts on this node (completes a stage, is notified first). */
  owner: RoleKey.optional(),
};

export const StageNode = z.object({
  ...nodeBase,
  type: z.literal('stage'),
  deliverables: z.array(Deliverable),
  sla: Sla.optional(),
});
export const GateNode = z.object({
  ...nodeBase,
  type: z.literal('gate'),
  signoff: Signoff,
  criteria: z.array(Criterion).optional(),
  /** Minimum weighted `should` score (0..1) a `go` signer must give. */
  passScore: z.number().min(0).max(1).optional(),
  deliverables: z.array(Deliverable).optional(),
  sla: Sla.optional(),
  /** Decisions signers may take here; default all four. */
  decisions: z.array(Decision).min(1).optional(),
  /** Lets this gate run without an operations role among its signers. */
  opsOptional: z.boolean().optional(),
});
export const HypercareNode = z.object({
  ...nodeBase,
  type: z.literal('hypercare'),
  duration: Duration,
  extendBy: Duration.optional(),
  maxExtensions: z.number().int().min(0).optional(),
  exit: Signoff,
  escalation: z.array(Escalation),
  /** Open issues at or above this severity block exit and trigger auto-extension. */
  blockingSeverity: z.number().int().min(1).max(3).optional(),
});
export const ReviewNode = z.object({
  ...nodeBase,
  type: z.literal('review'),
  signoff: Signoff,
  /** Metric keys the PIR compares; default all. */
  metrics: z.array(Slug).optional(),
});
export const MonitorNode = z.object({
  ...nodeBase,
  type: z.literal('monitor'),
  every: Duration,
  reviewers: z.array(RoleKey).min(1),
  /** Consecutive off-target reviews before `escalate` is notified; default 2. */
  alertAfter: z.number().int().min(1).optional(),
  escalate: z.array(RoleKey).optional(),
});
export const NotifyNode = z.object({
  ...nodeBase,
  type: z.literal('notify'),
  to: z.array(RoleKey).min(1),
  message: z.string().min(1),
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

export const Template = z.object({
  schema: z.literal(TEMPLATE_SCHEMA),
  key: Slug,
  name: z.string().min(1),
  description: z.string().optional(),
  roles: z.array(Role).min(1),
  metrics: z.array(Metric).optional(),
  start: NodeId,
  nodes: z.array(Node).min(1),
  edges: z.array(Edge),
  /** Designer positions; ignored by the runtime. */
  layout: z.record(z.string(), Position).optional(),
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
