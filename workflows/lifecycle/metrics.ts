/**
 * Co-created metrics (SPEC §3 "Metrics"): until the metrics gate passes, participants set the
 * project's own baselines and targets within the template's range and its delivery measures;
 * an operations role agrees them as they stand, and a gate may require that agreement.
 */
import { costRefusal } from '../model/delivery';
import { inRange, metricsGate, metricsLocked, rangeText } from '../model/project-metrics';
import type { CommandOf, ProjectMetrics } from '../model';
import { type Step, refuse } from './context';

function refuseWhenLocked(step: Step): void {
  if (!metricsLocked(step.template, step.state)) return;
  const gate = metricsGate(step.template)!;
  refuse('metrics_locked', `the metrics were fixed when "${gate.name}" passed`);
}

export function setMetrics(step: Step, cmd: CommandOf<'setMetrics'>): void {
  refuseWhenLocked(step);
  // The step works on its own copy of the state: a refusal below leaves the project as it was.
  const own: ProjectMetrics = step.state.metrics ?? {
    values: {},
    changedAt: step.now,
    changedBy: cmd.actor.userId,
  };
  const changes: Record<string, unknown> = {};
  for (const [key, values] of Object.entries(cmd.metrics ?? {})) {
    const metric = step.template.metrics?.find((m) => m.key === key);
    if (!metric) refuse('unknown_metric', `no metric "${key}" in this template`, ['metrics', key]);
    for (const field of ['baseline', 'target'] as const) {
      const value = values[field];
      if (value === undefined || inRange(metric, value)) continue;
      refuse(
        'out_of_range',
        `${field} ${value} of "${metric.name}" is outside what the template allows (${rangeText(metric)})`,
        ['metrics', key, field],
      );
    }
    own.values[key] = { ...own.values[key], ...values };
    changes[key] = values;
  }
  if (cmd.delivery !== undefined) {
    if (cmd.delivery.budget !== undefined && cmd.delivery.currency === undefined) {
      refuse('invalid_input', 'a budget needs its currency', ['delivery', 'currency']);
    }
    const spentIn = step.state.actualCost?.currency;
    if (
      spentIn !== undefined &&
      cmd.delivery.currency !== undefined &&
      cmd.delivery.currency !== spentIn
    ) {
      refuse(
        'invalid_input',
        `the actual cost is recorded in ${spentIn}: give the budget in ${spentIn}`,
        ['delivery', 'currency'],
      );
    }
    own.delivery = cmd.delivery;
  }
  if (Object.keys(changes).length === 0 && cmd.delivery === undefined) {
    refuse('invalid_input', 'give metrics or delivery measures to set', ['metrics']);
  }
  const withdrawn = own.agreed !== undefined;
  delete own.agreed;
  own.changedAt = step.now;
  own.changedBy = cmd.actor.userId;
  step.state.metrics = own;
  step.audit('metrics.set', {
    detail: {
      metrics: changes,
      ...(cmd.delivery !== undefined && { delivery: cmd.delivery }),
      ...(withdrawn && { agreementWithdrawn: true }),
    },
  });
}

/**
 * `asSeen`: a `metricsChangedAt` naming another version than the project's is refused (patch
 * "metrics-as-seen"); false replays an Update a worker without the patch applied as it did.
 */
export function agreeMetrics(step: Step, cmd: CommandOf<'agreeMetrics'>, asSeen = true): void {
  refuseWhenLocked(step);
  const ops = step.template.roles.filter((r) => r.operations).map((r) => r.key);
  const role = step.rolesOf(cmd.actor.userId).find((r) => ops.includes(r));
  if (role === undefined) {
    refuse('not_allowed', 'only a participant in an operations role agrees the metrics');
  }
  if (step.state.metrics?.agreed) {
    refuse('already_agreed', 'operations already agreed the metrics as they stand');
  }
  const current = step.state.metrics?.changedAt ?? null;
  if (asSeen && cmd.metricsChangedAt !== undefined && cmd.metricsChangedAt !== current) {
    refuse(
      'metrics_changed',
      'the metrics changed since you saw them: review the new values, then agree again',
      ['metricsChangedAt'],
    );
  }
  step.state.metrics = {
    ...(step.state.metrics ?? { values: {}, changedAt: step.now, changedBy: cmd.actor.userId }),
    agreed: { by: cmd.actor.userId, role, at: step.now },
  };
  step.audit('metrics.agreed', {
    ...(cmd.comment !== undefined && { reason: cmd.comment }),
    detail: { role },
  });
}

/**
 * The project's cost recorders (or the PMO) record its actual cost to date, in the budget's
 * currency, until the post-implementation review that compares it is signed off.
 */
export function recordCost(step: Step, cmd: CommandOf<'recordCost'>): void {
  const refusal = costRefusal(step.template, step.state, cmd.actor.userId, cmd.actor.pmo === true);
  if (refusal) refuse(refusal.code, refusal.message);
  const budgetIn = step.state.metrics?.delivery?.currency;
  if (budgetIn !== undefined && cmd.currency !== undefined && cmd.currency !== budgetIn) {
    refuse('invalid_input', `the budget is in ${budgetIn}: record the cost in ${budgetIn}`, [
      'currency',
    ]);
  }
  const currency = cmd.currency ?? budgetIn ?? step.state.actualCost?.currency;
  if (currency === undefined) {
    refuse('invalid_input', 'the project has no budget yet: name the currency', ['currency']);
  }
  const previous = step.state.actualCost?.spent;
  step.state.actualCost = { spent: cmd.spent, currency, at: step.now, by: cmd.actor.userId };
  step.audit('delivery.cost-recorded', {
    ...(cmd.comment !== undefined && { reason: cmd.comment }),
    detail: { spent: cmd.spent, currency, ...(previous !== undefined && { previous }) },
  });
}
