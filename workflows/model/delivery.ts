/**
 * Actual delivery against the project's delivery measures (SPEC §3 "Metrics"): the date the
 * result was handed over beside the target date, the actual cost beside the budget. Pure
 * answers: the interpreter, the API's project view, the designer and the tests ask these.
 */
import { z } from 'zod';
import { ownersOf } from './duty';
import type { ProjectState } from './state';
import type { Node, NodeOf, RoleKey, Template } from './template';

const DAY = 24 * 60 * 60 * 1000;

/**
 * The node whose passing hands the result over: the template's `delivery.handover`, else the
 * node whose `go` or `done` edge enters the first hypercare node. Undefined for a template
 * without either: the project counts as delivered when it completes.
 */
export function handoverNode(template: Template): Node | undefined {
  const byId = (id: string) => template.nodes.find((n) => n.id === id);
  const chosen = template.delivery?.handover;
  if (chosen !== undefined) return byId(chosen);
  const hypercare = template.nodes.find((n): n is NodeOf<'hypercare'> => n.type === 'hypercare');
  if (!hypercare) return undefined;
  const edge = template.edges.find(
    (e) => e.to === hypercare.id && (e.on === 'go' || e.on === 'done'),
  );
  return edge ? byId(edge.from) : undefined;
}

/**
 * When the project was delivered (epoch ms): the latest pass of its handover node (a recycled
 * handover delivers again), else its completion. Undefined while it is not delivered.
 */
export function deliveredAt(
  template: Template,
  state: Pick<ProjectState, 'nodes' | 'status' | 'endedAt'>,
): number | undefined {
  const node = handoverNode(template);
  if (!node) return state.status === 'completed' ? state.endedAt : undefined;
  const passes = (state.nodes[node.id]?.decisions ?? []).filter(
    (d) => d.outcome === 'go' || d.outcome === 'done',
  );
  return passes.at(-1)?.at;
}

/** Roles that record the actual cost besides the PMO: `delivery.costBy`, else the start node's owners. */
export function costRecorderRoles(template: Template): RoleKey[] {
  if (template.delivery?.costBy) return template.delivery.costBy;
  const start = template.nodes.find((n) => n.id === template.start);
  return start ? ownersOf(start) : [];
}

/**
 * The review whose sign-off fixes the actual cost: the first post-implementation review.
 * Undefined for a template without one: the cost stays open until the project closes.
 */
export function costReview(template: Template): NodeOf<'review'> | undefined {
  return template.nodes.find((n): n is NodeOf<'review'> => n.type === 'review');
}

/** Whether the actual cost is fixed now (the PIR passed: it compared what was spent). */
export function costLocked(template: Template, state: Pick<ProjectState, 'nodes'>): boolean {
  const review = costReview(template);
  return review !== undefined && (state.nodes[review.id]?.decisions ?? []).length > 0;
}

/** Why `userId` may not record the actual cost now; undefined when they may. */
export function costRefusal(
  template: Template,
  state: Pick<ProjectState, 'nodes' | 'participants'>,
  userId: string,
  pmo: boolean,
): { code: 'not_participant' | 'not_allowed' | 'cost_locked'; message: string } | undefined {
  const roles = costRecorderRoles(template);
  const held = Object.keys(state.participants).filter((r) =>
    state.participants[r]!.includes(userId),
  );
  if (!pmo && held.length === 0) {
    return { code: 'not_participant', message: 'you are not a participant of this project' };
  }
  if (!pmo && !roles.some((r) => held.includes(r))) {
    const names = roles.map((r) => template.roles.find((x) => x.key === r)?.name ?? r);
    return {
      code: 'not_allowed',
      message: `only ${names.length ? `the ${names.join(', the ')} or ` : ''}the PMO record the actual cost`,
    };
  }
  if (costLocked(template, state)) {
    return {
      code: 'cost_locked',
      message: `the actual cost was fixed when "${costReview(template)!.name}" was signed off`,
    };
  }
  return undefined;
}

/**
 * How the actual cost stands against the budget: `over` when more was spent than budgeted,
 * else `within`; undefined without both. The over-budget alert and `deliveryStanding` ask it.
 */
export function costStanding(
  state: Pick<ProjectState, 'metrics' | 'actualCost'>,
): 'within' | 'over' | undefined {
  const budget = state.metrics?.delivery?.budget;
  const spent = state.actualCost?.spent;
  if (budget === undefined || spent === undefined) return undefined;
  return spent > budget ? 'over' : 'within';
}

/** How a project's actual delivery stands against its delivery measures. */
export const DeliveryStanding = z.object({
  /** The node whose passing hands the result over; absent: the project's completion counts. */
  handover: z.object({ nodeId: z.string(), name: z.string() }).optional(),
  targetDate: z.string().optional(),
  /** When the result was handed over (epoch ms); absent while it was not. */
  deliveredAt: z.number().optional(),
  /**
   * `on_time` / `late`: delivered by / after the target date; `overdue`: not delivered and the
   * target date passed; `due`: not delivered, the target date ahead. Absent without a target.
   */
  schedule: z.enum(['on_time', 'late', 'overdue', 'due']).optional(),
  /** Whole days after the target date it was delivered (or, overdue, is so far); ≤ 0: on time. */
  daysLate: z.number().int().optional(),
  budget: z.number().optional(),
  currency: z.string().optional(),
  /** The actual cost as last recorded. */
  spent: z.number().optional(),
  /** Spent against budget: 0.12 is 12 % over, -0.05 is 5 % under; absent without both. */
  variance: z.number().optional(),
  /** `within` or `over` budget; absent without both. */
  cost: z.enum(['within', 'over']).optional(),
  /** The cost is final: the PIR that compared it was signed off. */
  costFinal: z.boolean(),
});
export type DeliveryStanding = z.infer<typeof DeliveryStanding>;

/** The UTC calendar day of an instant, as a day number. */
const dayOf = (at: number) => Math.floor(at / DAY);

/** How `state`'s actual delivery stands against its delivery measures at `now`. */
export function deliveryStanding(
  template: Template,
  state: Pick<ProjectState, 'nodes' | 'status' | 'endedAt' | 'metrics' | 'actualCost'>,
  now: number,
): DeliveryStanding {
  const node = handoverNode(template);
  const measures = state.metrics?.delivery;
  const delivered = deliveredAt(template, state);
  const spent = state.actualCost?.spent;
  const budget = measures?.budget;
  const standing: DeliveryStanding = {
    ...(node && { handover: { nodeId: node.id, name: node.name } }),
    ...(measures?.targetDate !== undefined && { targetDate: measures.targetDate }),
    ...(delivered !== undefined && { deliveredAt: delivered }),
    ...(budget !== undefined && { budget }),
    ...((measures?.currency ?? state.actualCost?.currency) !== undefined && {
      currency: measures?.currency ?? state.actualCost!.currency,
    }),
    ...(spent !== undefined && { spent }),
    costFinal: costLocked(template, state),
  };
  if (measures?.targetDate !== undefined) {
    const target = dayOf(Date.parse(`${measures.targetDate}T00:00:00Z`));
    const late = dayOf(delivered ?? now) - target;
    if (delivered !== undefined) {
      standing.schedule = late > 0 ? 'late' : 'on_time';
      standing.daysLate = late;
    } else if (late > 0) {
      standing.schedule = 'overdue';
      standing.daysLate = late;
    } else {
      standing.schedule = 'due';
    }
  }
  const cost = costStanding(state);
  if (cost !== undefined) standing.cost = cost;
  if (budget !== undefined && spent !== undefined) {
    if (budget > 0) standing.variance = Math.round(((spent - budget) / budget) * 1000) / 1000;
  }
  return standing;
}
