/**
 * Where a project stands, as its lists show it: the nodes it is in (named, with their kind and
 * since when), the hypercare countdown and the actual cost against the budget. The record write
 * stores it with the project (db/projects.ts) so a list shows it without asking Temporal, and
 * the web app derives the same facts from a full state (designer/src/workspace/logic/
 * progress.ts). Pure and in the model (no imports beyond it): the designer bundles it.
 */
import { z } from 'zod';
import { costLocked, costStanding } from './delivery';
import type { ProjectState } from './state';
import type { Template } from './template';

export const ProgressSummary = z.object({
  /** The nodes the project is in, in the order of its state's `current`. */
  current: z.array(
    z.object({
      id: z.string(),
      /** The node's name in the pinned template (its id if the template is unknown). */
      name: z.string(),
      /** The node's type; absent if the template is unknown. */
      kind: z.string().optional(),
      /** When the project entered the node (epoch ms). */
      since: z.number().optional(),
    }),
  ),
  /** The hypercare the project is in, if any. */
  hypercare: z
    .object({
      nodeId: z.string(),
      nodeName: z.string(),
      /** `running` until `expiresAt`, then `awaiting_exit` while the exit signers are asked. */
      phase: z.enum(['running', 'awaiting_exit']),
      expiresAt: z.number(),
    })
    .optional(),
  /** The actual cost against the budget; absent without both. */
  cost: z
    .object({
      cost: z.enum(['within', 'over']),
      budget: z.number(),
      spent: z.number(),
      currency: z.string().optional(),
      /** Spent against budget: 0.12 is 12 % over; absent with a zero budget. */
      variance: z.number().optional(),
      /** The cost is final: the PIR that compared it was signed off. */
      costFinal: z.boolean(),
    })
    .optional(),
});
export type ProgressSummary = z.infer<typeof ProgressSummary>;

/**
 * What a PMO asks the portfolio to show first: `hypercare`, projects whose hypercare ends
 * within 7 days or awaits its exit; `over_budget`, those whose actual cost is over budget.
 */
export const PORTFOLIO_ATTENTION = ['hypercare', 'over_budget'] as const;
export const PortfolioAttention = z.enum(PORTFOLIO_ATTENTION);
export type PortfolioAttention = z.infer<typeof PortfolioAttention>;

/** The portfolio's orders: newest first, or open projects longest at their stage first. */
export const PORTFOLIO_SORTS = ['newest', 'stage_age'] as const;
export const PortfolioSort = z.enum(PORTFOLIO_SORTS);
export type PortfolioSort = z.infer<typeof PortfolioSort>;

/** What a list shows of `state`, its node names and kinds from `template` when known. */
export function progressSummary(
  state: Pick<ProjectState, 'current' | 'nodes' | 'metrics' | 'actualCost'>,
  template: Template | undefined,
): ProgressSummary {
  const node = (id: string) => template?.nodes.find((n) => n.id === id);
  const summary: ProgressSummary = {
    current: state.current.map((id) => {
      const found = node(id);
      const since = state.nodes[id]?.enteredAt;
      return {
        id,
        name: found?.name ?? id,
        ...(found && { kind: found.type }),
        ...(since !== undefined && { since }),
      };
    }),
  };
  for (const id of state.current) {
    const hc = state.nodes[id]?.hypercare;
    if (hc) {
      const nodeName = node(id)?.name ?? id;
      summary.hypercare = { nodeId: id, nodeName, phase: hc.phase, expiresAt: hc.expiresAt };
    }
  }
  const cost = costStanding(state);
  const budget = state.metrics?.delivery?.budget;
  const spent = state.actualCost?.spent;
  if (cost !== undefined && budget !== undefined && spent !== undefined) {
    const currency = state.metrics?.delivery?.currency ?? state.actualCost?.currency;
    summary.cost = {
      cost,
      budget,
      spent,
      ...(currency !== undefined && { currency }),
      ...(budget > 0 && { variance: Math.round(((spent - budget) / budget) * 1000) / 1000 }),
      costFinal: template !== undefined && costLocked(template, state),
    };
  }
  return summary;
}
