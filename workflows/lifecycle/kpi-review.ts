/**
 * KPI reviews that are done (SPEC §3 "Monitor", monitors with `reviewWithin`): each period's
 * end opens a review of the monitor's reviewers, due `reviewWithin` later. A reviewer does it
 * with the period's values, a decision (keep, act, escalate) and follow-up actions, which
 * become obligations like Conditional Go conditions. Not done by its due date, it escalates;
 * still not done when the next period ends, it is closed as missed. A metric with no value in
 * its period counts as off target. Monitors without `reviewWithin` keep notifying only.
 */
import { LIMITS } from '../model/commands';
import { addDuration } from '../model/duration';
import { projectMetrics } from '../model/project-metrics';
import type { CommandOf, KpiReviewRecord, MonitorRecord, NodeOf, OpenKpiReview } from '../model';
import { type Step, refuse, when } from './context';
import { addObligation, checkConditions } from './conditions';
import {
  alertOffTarget,
  onReview,
  onTarget,
  refuseOutOfRange,
  scheduleNextReview,
  trimReadings,
} from './monitor';

type MonitorNode = NodeOf<'monitor'>;
/** Closed reviews a monitor record keeps (the audit trail keeps all). */
export const REVIEWS_KEPT = 12;

/** A review period ended: open its review (or, without `reviewWithin`, notify as before). */
export function onPeriodEnd(step: Step, nodeId: string): void {
  const node = step.node(nodeId);
  const rec = step.record(nodeId);
  const mon = rec.monitor;
  if (node.type !== 'monitor' || node.reviewWithin === undefined) return onReview(step, nodeId);
  if (!mon || rec.status !== 'active') return;
  if (mon.open) close(step, node, mon, mon.open, undefined);
  const from = mon.lastReviewAt ?? mon.startedAt ?? rec.enteredAt ?? step.now;
  mon.reviews += 1;
  mon.lastReviewAt = step.now;
  step.state.reviewsThisRun += 1;
  const review: OpenKpiReview = {
    number: mon.reviews,
    from,
    to: step.now,
    dueAt: addDuration(step.now, node.reviewWithin),
    escalated: false,
  };
  mon.open = review;
  step.schedule({ id: `${nodeId}:review-due`, at: review.dueAt, kind: 'kpi-review-due', nodeId });
  step.audit('monitor.review-opened', {
    nodeId,
    actor: 'system',
    detail: { review: review.number, dueAt: review.dueAt },
  });
  const lines = projectMetrics(step.template, step.state.metrics).map((metric) => {
    const value = periodValue(step, metric.key, review);
    return `- ${metric.name}: ${value ?? 'no value yet'} (target ${metric.target})`;
  });
  step.notify(
    'kpi-review',
    { roles: node.reviewers },
    `KPI review #${review.number} due ${when(review.dueAt)}`,
    `Review the KPIs of "${node.name}" by ${when(review.dueAt)}: record the period's values, ` +
      `decide (keep, act, escalate) and set follow-up actions.\n${lines.join('\n') || '- no metrics defined'}`,
    nodeId,
  );
  scheduleNextReview(step, node, mon);
}

/**
 * A reviewer does the open review. Answers the monitor node and the review's number.
 * `reusedIds`: the run names follow-ups as before patch `kpi-follow-up-visits` (followUpId).
 * `inRange`: a value outside its metric's range is refused (false: patch "kpi-in-range" not yet).
 * `delegated`: a delegate does it for the reviewer named by `onBehalfOf` (false: patch
 * "kpi-review-delegation" not yet: the field is ignored, as the code before it stripped it).
 */
export function kpiReview(
  step: Step,
  cmd: CommandOf<'kpiReview'>,
  reusedIds = false,
  inRange = true,
  delegated = true,
): { nodeId: string; id: string } {
  const node = step.node(cmd.nodeId);
  const rec = step.record(node.id);
  if (node.type !== 'monitor' || rec.status !== 'active' || !rec.monitor) {
    refuse('not_monitoring', `"${node.name}" is not a running KPI monitor`, ['nodeId']);
  }
  const mon = rec.monitor;
  // A delegate does the review for the reviewer, in the reviewer's roles (as a sign-off).
  const standIn = delegated && standsIn(cmd);
  const reviewer = standIn ? cmd.onBehalfOf! : cmd.actor.userId;
  if (!node.reviewers.some((r) => step.rolesOf(reviewer).includes(r))) {
    if (standIn) {
      refuse('not_allowed', `${reviewer} is not a reviewer of "${node.name}"`, ['onBehalfOf']);
    }
    refuse('not_allowed', `only a reviewer of "${node.name}" does its KPI reviews`);
  }
  if (!mon.open) refuse('no_review_open', `no KPI review of "${node.name}" is open now`);
  const metrics = projectMetrics(step.template, step.state.metrics);
  for (const [key, value] of Object.entries(cmd.values ?? {})) {
    const metric = metrics.find((m) => m.key === key);
    if (!metric) refuse('unknown_metric', `no metric "${key}" in this template`, ['values', key]);
    if (inRange) refuseOutOfRange(metric, value, ['values', key]);
  }
  const actions = cmd.actions ?? [];
  if (cmd.decision === 'act' && actions.length === 0) {
    refuse('actions_required', 'a decision to act names at least one follow-up action', [
      'actions',
    ]);
  }
  actions.forEach((a, i) => {
    if (!step.template.roles.some((r) => r.key === a.owner)) {
      refuse('unknown_role', `no role "${a.owner}" in this template`, ['actions', i, 'owner']);
    }
  });
  if (actions.length > 0) {
    dropSettledFollowUps(step, node.id, actions.length);
    checkConditions(step, actions);
  }
  const review = mon.open;
  // The values are the reviewed period's: measured at its end, not in the next period.
  for (const [metric, value] of Object.entries(cmd.values ?? {})) {
    step.state.kpis.push({ metric, value, at: review.to, by: cmd.actor.userId });
  }
  trimReadings(step.state.kpis);
  const visit = reusedIds ? 1 : rec.visits;
  const ids = actions.map((a, i) => {
    const id = followUpId(node.id, visit, review.number, i + 1);
    const { dueAt } = addObligation(step, { id, nodeId: node.id, setBy: cmd.actor.userId, ...a });
    step.notify(
      'action-required',
      { roles: [a.owner] },
      `KPI follow-up due ${when(dueAt)}`,
      `KPI review #${review.number} of "${node.name}" asks: ${a.text} (due ${when(dueAt)}).`,
      node.id,
    );
    return id;
  });
  close(step, node, mon, review, {
    by: cmd.actor.userId,
    ...(standIn && { onBehalfOf: reviewer }),
    decision: cmd.decision,
    actions: ids,
    ...(cmd.comment !== undefined && { commentRef: step.storeText(cmd.comment) }),
  });
  step.audit('monitor.reviewed', {
    nodeId: node.id,
    ...(cmd.comment !== undefined && { reason: cmd.comment }),
    detail: {
      review: review.number,
      decision: cmd.decision,
      ...(cmd.values !== undefined && { values: cmd.values }),
      ...(actions.length > 0 && { actions: ids }),
      ...(standIn && { onBehalfOf: reviewer }),
    },
  });
  if (cmd.decision === 'escalate') {
    step.notify(
      'escalation',
      { roles: node.escalate ?? node.reviewers, pmo: true },
      `KPI review #${review.number} escalated`,
      `A reviewer of "${node.name}" escalated KPI review #${review.number}` +
        (cmd.comment !== undefined ? `: ${cmd.comment}` : '.'),
      node.id,
    );
  }
  return { nodeId: node.id, id: String(review.number) };
}

/** The review is sent for someone other than its sender (delegation). */
export function standsIn(cmd: CommandOf<'kpiReview'>): boolean {
  return cmd.onBehalfOf !== undefined && cmd.onBehalfOf !== cmd.actor.userId;
}

/**
 * Patch id: a monitor entered again names its follow-ups apart from an earlier visit's
 * (followUpId). Runs begun before it name them as on the first visit (`DecideOptions`).
 */
export const KPI_FOLLOW_UP_VISITS = 'kpi-follow-up-visits';

/**
 * The id of a KPI review's follow-up. A later visit's ids end in `-v<visit>` (no other
 * obligation id ends so), while a first visit's stay what they always were (links in sent
 * e-mails and inboxes name them): runs begun before patch `revisit-counts` number a monitor's
 * reviews from 1 again on each visit, and only the suffix tells those ids apart.
 */
export function followUpId(nodeId: string, visit: number, review: number, n: number): string {
  const id = `${nodeId}-review-${review}-${n}`;
  return visit > 1 ? `${id}-v${visit}` : id;
}

/** The open review passed its due date undone: tell `escalate` (else the reviewers), the PMO. */
export function onReviewDue(step: Step, nodeId: string): void {
  const node = step.node(nodeId);
  const mon = step.record(nodeId).monitor;
  const review = mon?.open;
  if (node.type !== 'monitor' || !review || review.escalated) return;
  review.escalated = true;
  step.audit('monitor.review-overdue', {
    nodeId,
    actor: 'system',
    detail: { review: review.number, dueAt: review.dueAt },
  });
  step.notify(
    'escalation',
    { roles: [...node.reviewers, ...(node.escalate ?? [])], pmo: true },
    `KPI review #${review.number} is overdue`,
    `KPI review #${review.number} of "${node.name}" was due ${when(review.dueAt)} and is not done.`,
    nodeId,
  );
}

/**
 * Closes a review, done (`done` given) or missed: each metric's latest value of the period
 * against its target (none: a miss), misses counted, alerts sent, the record kept.
 */
function close(
  step: Step,
  node: MonitorNode,
  mon: MonitorRecord,
  review: OpenKpiReview,
  done: Pick<KpiReviewRecord, 'by' | 'decision' | 'actions' | 'commentRef'> | undefined,
): void {
  const alerts: string[] = [];
  const results = projectMetrics(step.template, step.state.metrics).map((metric) => {
    const value = periodValue(step, metric.key, review);
    const met = value !== undefined && onTarget(metric, value);
    const misses = met ? 0 : (mon.misses[metric.key] ?? 0) + 1;
    mon.misses[metric.key] = misses;
    if (misses >= (node.alertAfter ?? 2)) {
      const shown = value === undefined ? 'no value recorded' : `${value} vs ${metric.target}`;
      alerts.push(`${metric.name} (${shown}, ${misses} reviews in a row)`);
    }
    return {
      metric: metric.key,
      ...(value !== undefined && { value }),
      target: metric.target,
      met,
    };
  });
  const record: KpiReviewRecord = {
    number: review.number,
    from: review.from,
    to: review.to,
    status: done ? 'done' : 'missed',
    at: step.now,
    results,
    actions: [],
    ...done,
  };
  mon.done = [...(mon.done ?? []), record].slice(-REVIEWS_KEPT);
  delete mon.open;
  step.cancelDeadlines((d) => d.nodeId === node.id && d.kind === 'kpi-review-due');
  if (!done) {
    step.audit('monitor.review-missed', {
      nodeId: node.id,
      actor: 'system',
      detail: { review: review.number, misses: { ...mon.misses } },
    });
  }
  alertOffTarget(step, node, alerts);
}

/** A metric's latest value measured in the review's period or since (until now). */
function periodValue(step: Step, key: string, review: OpenKpiReview): number | undefined {
  let best: { at: number; value: number } | undefined;
  for (const k of step.state.kpis) {
    if (k.metric === key && k.at > review.from && (!best || k.at >= best.at)) best = k;
  }
  return best?.value;
}

/**
 * Makes room for new follow-ups of a long-running monitor: its oldest follow-ups already met
 * leave the state (the audit trail keeps them) while the project's obligations are at the cap.
 */
function dropSettledFollowUps(step: Step, nodeId: string, adding: number): void {
  const { conditions } = step.state;
  for (let i = 0; i < conditions.length;) {
    if (conditions.length + adding <= LIMITS.conditionsPerProject) return;
    const c = conditions[i]!;
    if (c.nodeId === nodeId && c.status === 'met') conditions.splice(i, 1);
    else i += 1;
  }
}
