/**
 * The simulation's delivery measures (issue 13, item 1): while the project's metrics are open,
 * a participant sets the target date and the budget it commits to; its cost recorders (else the
 * PMO) record what was actually spent; `simDelivery` is the standing the project view and the
 * PIR show — handed over on time or late, within or over budget.
 */
import type { NextAction } from '../../../workflows/lifecycle';
import { costRecorderRoles, costRefusal, deliveryStanding } from '../../../workflows/model';
import { stepOf, type Offer, type SimAction, type SimInputs } from './sim-actions';
import { SIM_PMO, type SimSession } from './simulation';

/** What the simulation sets and records: the inputs' values, else these. */
export interface SimDeliveryInput {
  /** YYYY-MM-DD; default: 90 days after the simulation's now. */
  targetDate?: string;
  budget?: number;
  /** ISO 4217; default: the budget's, else EUR. */
  currency?: string;
  /** The actual cost; default: the budget, else DEFAULT_BUDGET. */
  spent?: number;
}

export const DEFAULT_BUDGET = 250_000;
const DAY = 86_400_000;

/** Setting the delivery measures, and recording the actual cost. */
export function deliveryActions(
  session: SimSession,
  inputs: SimInputs,
  offer: (match: (a: NextAction) => boolean, prefer?: readonly string[]) => Offer | undefined,
): SimAction[] {
  const { state, template } = session.machine;
  const input = inputs.delivery ?? {};
  const agreed = state.metrics?.delivery;
  const currency = input.currency ?? agreed?.currency ?? state.actualCost?.currency ?? 'EUR';
  const recorders = costRecorderRoles(template);
  const actions: SimAction[] = [];

  const set = offer((a) => a.action === 'set-metrics', recorders);
  if (set) {
    const targetDate =
      input.targetDate ?? new Date(session.now + 90 * DAY).toISOString().slice(0, 10);
    const budget = input.budget ?? DEFAULT_BUDGET;
    actions.push({
      id: 'set-delivery',
      kind: 'set-delivery',
      label: `${set.actor}: commit to deliver by ${targetDate} within ${budget} ${currency}`,
      steps: [stepOf(set, { type: 'setMetrics', delivery: { targetDate, budget, currency } })],
    });
  }

  // The recorders first, then anyone the model lets record it, then the PMO.
  const people = [
    ...recorders.flatMap((role) => state.participants[role] ?? []),
    ...Object.values(state.participants).flat(),
  ];
  const user = people.find((u) => costRefusal(template, state, u, false) === undefined);
  const by =
    user !== undefined
      ? { actor: user, pmo: false }
      : costRefusal(template, state, SIM_PMO, true) === undefined
        ? { actor: SIM_PMO, pmo: true }
        : undefined;
  if (by) {
    const spent = input.spent ?? agreed?.budget ?? DEFAULT_BUDGET;
    actions.push({
      id: 'record-cost',
      kind: 'record-cost',
      label: `${by.actor}: record the actual cost, ${spent} ${currency}`,
      steps: [
        {
          actor: by.actor,
          ...(by.pmo && { pmo: true }),
          // The budget's currency is the default; without a budget the cost names its own.
          command: {
            type: 'recordCost',
            spent,
            ...(agreed?.currency === undefined && { currency }),
          },
        },
      ],
    });
  }
  return actions;
}

/** Where the simulated project's delivery stands now (the model's, as the API answers it). */
export function simDelivery(session: SimSession) {
  return deliveryStanding(session.machine.template, session.machine.state, session.now);
}
