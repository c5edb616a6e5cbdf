/**
 * The over-budget alert (patch "over-budget-alert"): when a recorded cost or a lowered budget
 * takes the project's actual cost over its budget, the audit trail says so and whoever answers
 * for the money hears of it. Once per crossing: `overBudgetAlertedAt` holds while the cost
 * stays over and clears when it comes back within, so a later crossing alerts again.
 */
import { costRecorderRoles, deliveryStanding } from '../model/delivery';
import type { DeliveryStanding } from '../model';
import type { Step } from './context';

/**
 * Patch id: setting the metrics or recording the cost alerts when the cost goes over the
 * budget (DecideOptions.overBudgetAlert). Asked by the Updates it changes.
 */
export const OVER_BUDGET_ALERT = 'over-budget-alert';

/**
 * Who answers for the project's money: the participants in the cost recorder roles (who record
 * the cost: the template's `delivery.costBy`, else the start node's owners) and the PMO who
 * started the project, deduplicated, the one whose action crossed the line aside (they know).
 */
export function budgetAlertRecipients(step: Step): string[] {
  const { participants, startedBy } = step.state;
  const recorders = costRecorderRoles(step.template).flatMap((r) => participants[r] ?? []);
  return [...new Set([...recorders, startedBy])].filter((u) => u !== step.actor);
}

/** After `cause` changed the cost or the budget: alerts on a crossing, re-arms when back within. */
export function watchBudget(step: Step, cause: 'cost' | 'budget'): void {
  const { state } = step;
  const standing = deliveryStanding(step.template, state, step.now);
  if (standing.cost !== 'over') {
    if (state.overBudgetAlertedAt === undefined) return;
    delete state.overBudgetAlertedAt;
    if (standing.cost === 'within') {
      step.audit('delivery.within-budget', { detail: costDetail(standing) });
    }
    return;
  }
  if (state.overBudgetAlertedAt !== undefined) return;
  state.overBudgetAlertedAt = step.now;
  const detail = costDetail(standing);
  step.audit('delivery.over-budget', { detail });
  const by = cause === 'cost' ? 'recorded the cost' : 'set the budget';
  const pct = detail.variance !== undefined ? Math.round(detail.variance * 1000) / 10 : 0;
  const money = (n: number) => `${grouped(n)} ${detail.currency}`;
  step.notify(
    'budget-alert',
    { users: budgetAlertRecipients(step) },
    'over budget',
    `The actual cost to date, ${money(detail.spent)}, is over the budget of ` +
      `${money(detail.budget)}${pct > 0 ? ` (${pct} % over)` : ''} since ${step.actor} ${by}.\n` +
      "Review the cost and the budget on the project's benefits tab.",
  );
}

/** 104000 → "104,000", a fraction kept as it is: the same on every worker (no locale). */
function grouped(n: number): string {
  const [whole, fraction] = String(n).split('.');
  return `${whole!.replace(/\B(?=(\d{3})+$)/g, ',')}${fraction !== undefined ? `.${fraction}` : ''}`;
}

/** What the audit entries say of the standing (all present when the standing has a `cost`). */
function costDetail(s: DeliveryStanding) {
  return {
    spent: s.spent!,
    budget: s.budget!,
    currency: s.currency!,
    ...(s.variance !== undefined && { variance: s.variance }),
  };
}
