/**
 * KPIs after handoff (SPEC §3 "Monitor"): readings recorded by participants, a periodic
 * review comparing each metric with its target, an alert after repeated misses, and the
 * planned-vs-actual comparison the post-implementation review shows.
 */
import { addDuration, addDurationTimes } from '../model/duration';
import { inRange, projectMetrics, rangeText } from '../model/project-metrics';
import type {
  ProjectMetrics,
  KpiReading,
  Metric,
  MonitorRecord,
  CommandOf,
  NodeOf,
  Template,
} from '../model';
import { type Step, refuse, when } from './context';
import { follow } from './navigation';

type MonitorNode = NodeOf<'monitor'>;
/** KPI readings the state keeps: the latest reading of each metric, then the newest others. */
const KPI_KEPT = 100;

export function onTarget(metric: Metric, value: number): boolean {
  return metric.direction === 'increase' ? value >= metric.target : value <= metric.target;
}

/** The most recent reading of a metric (by measurement time), if any. */
export function latestValue(kpis: readonly KpiReading[], key: string): number | undefined {
  let best: { at: number; value: number } | undefined;
  for (const k of kpis) {
    if (k.metric === key && (!best || k.at >= best.at)) best = k;
  }
  return best?.value;
}

/** A KPI value outside the metric's allowed range is refused, naming the field at `path`. */
export function refuseOutOfRange(metric: Metric, value: number, path: (string | number)[]): void {
  if (inRange(metric, value)) return;
  refuse(
    'out_of_range',
    `${value} for "${metric.name}" is outside what the template allows (${rangeText(metric)})`,
    path,
  );
}

/** How far ahead of the project's clock a reading's `at` may be: the caller's clock skew. */
export const KPI_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * `inRange`: a value outside the metric's range is refused (false: patch "kpi-in-range" not
 * yet). `notFuture`: a reading dated after now (beyond KPI_CLOCK_SKEW_MS) is refused (false:
 * patch "kpi-not-future" not yet): it would count as the latest value until its date passed.
 */
export function recordKpi(
  step: Step,
  cmd: CommandOf<'recordKpi'>,
  inRange = true,
  notFuture = true,
): void {
  const metric = projectMetrics(step.template, step.state.metrics).find(
    (m) => m.key === cmd.metric,
  );
  if (!metric) refuse('unknown_metric', `no metric "${cmd.metric}" in this template`, ['metric']);
  if (inRange) refuseOutOfRange(metric, cmd.value, ['value']);
  const at = cmd.at !== undefined ? Date.parse(cmd.at) : step.now;
  if (notFuture && at > step.now + KPI_CLOCK_SKEW_MS) {
    refuse(
      'in_the_future',
      `a reading cannot be dated after now (${when(step.now)}): it was measured at ${cmd.at}`,
      ['at'],
    );
  }
  const before = latestValue(step.state.kpis, metric.key);
  step.state.kpis.push({ metric: metric.key, value: cmd.value, at, by: cmd.actor.userId });
  trimReadings(step.state.kpis);
  step.audit('kpi.recorded', { detail: { metric: metric.key, value: cmd.value, at } });
  const after = latestValue(step.state.kpis, metric.key)!;
  if (onTarget(metric, after) && (before === undefined || !onTarget(metric, before))) {
    step.notify(
      'celebration',
      { everyone: true, pmo: true },
      `"${metric.name}" reached its target`,
      `"${metric.name}" is at ${after}${metric.unit ? ` ${metric.unit}` : ''}, meeting its target of ${metric.target}.`,
    );
  }
}

/**
 * Drops the oldest recorded readings beyond KPI_KEPT, never one that is the latest of its
 * metric: every decision (reviews, targets, the PIR) reads only those, so it stays the same.
 */
export function trimReadings(kpis: KpiReading[]): void {
  let excess = kpis.length - KPI_KEPT;
  if (excess <= 0) return;
  const latest = new Set<KpiReading>();
  for (const key of new Set(kpis.map((k) => k.metric))) {
    let best: KpiReading | undefined;
    for (const k of kpis) if (k.metric === key && (!best || k.at >= best.at)) best = k;
    if (best) latest.add(best);
  }
  for (let i = 0; i < kpis.length && excess > 0;) {
    if (latest.has(kpis[i]!)) i += 1;
    else {
      kpis.splice(i, 1);
      excess -= 1;
    }
  }
}

/**
 * Starts (or, entered again, restarts) a monitor's reviews. A monitor entered again numbers
 * them on from its earlier visits (patch `revisit-counts`), so that no two of its reviews
 * share a number in the inbox, the audit trail, e-mails and answers.
 */
export function startMonitor(step: Step, node: MonitorNode): void {
  const nextReviewAt = addDuration(step.now, node.every);
  const rec = step.record(node.id);
  const reviews = step.revisitCounts ? (rec.monitor?.reviews ?? 0) : 0;
  rec.monitor = { reviews, nextReviewAt, misses: {}, startedAt: step.now, period: 1 };
  step.schedule({
    id: `${node.id}:review`,
    at: nextReviewAt,
    kind: 'monitor-review',
    nodeId: node.id,
  });
  const again = reviews > 0;
  step.notify(
    'message',
    { roles: node.reviewers },
    again ? `KPI monitoring started again` : `KPI monitoring started`,
    again
      ? `"${node.name}" has started again; KPI review #${reviews + 1} is due ${when(nextReviewAt)}.`
      : `"${node.name}" has started; the first KPI review is due ${when(nextReviewAt)}.`,
    node.id,
  );
}

/** One periodic KPI review: report values vs targets, count misses, alert, schedule the next. */
export function onReview(step: Step, nodeId: string): void {
  const node = step.node(nodeId);
  const rec = step.record(nodeId);
  const mon = rec.monitor;
  if (node.type !== 'monitor' || !mon || rec.status !== 'active') return;
  mon.reviews += 1;
  mon.lastReviewAt = step.now;
  step.state.reviewsThisRun += 1;
  const lines: string[] = [];
  const alerts: string[] = [];
  for (const metric of projectMetrics(step.template, step.state.metrics)) {
    const value = latestValue(step.state.kpis, metric.key);
    if (value === undefined) {
      lines.push(`- ${metric.name}: no value recorded (target ${metric.target})`);
      continue;
    }
    const ok = onTarget(metric, value);
    mon.misses[metric.key] = ok ? 0 : (mon.misses[metric.key] ?? 0) + 1;
    lines.push(`- ${metric.name}: ${value} vs target ${metric.target} ${ok ? '✓' : '✗'}`);
    if (mon.misses[metric.key]! >= (node.alertAfter ?? 2)) {
      alerts.push(
        `${metric.name} (${value} vs ${metric.target}, ${mon.misses[metric.key]} reviews in a row)`,
      );
    }
  }
  step.audit('monitor.review', {
    nodeId,
    actor: 'system',
    detail: { review: mon.reviews, misses: { ...mon.misses } },
  });
  step.notify(
    'kpi-review',
    { roles: node.reviewers },
    `KPI review #${mon.reviews}`,
    `KPI review #${mon.reviews} of "${node.name}":\n${lines.join('\n') || '- no metrics defined'}`,
    nodeId,
  );
  alertOffTarget(step, node, alerts);
  scheduleNextReview(step, node, mon);
}

/** Tells `escalate` (else the reviewers) and the PMO which metrics missed too often. */
export function alertOffTarget(step: Step, node: MonitorNode, alerts: string[]): void {
  if (alerts.length === 0) return;
  step.audit('monitor.alert', { nodeId: node.id, actor: 'system', detail: { metrics: alerts } });
  step.notify(
    'kpi-alert',
    { roles: node.escalate ?? node.reviewers, pmo: true },
    `KPIs off target`,
    `Off target for ${node.alertAfter ?? 2}+ consecutive reviews:\n${alerts.map((a) => `- ${a}`).join('\n')}`,
    node.id,
  );
}

/** Schedules the end of the next review period. */
export function scheduleNextReview(step: Step, node: MonitorNode, mon: MonitorRecord): void {
  // A worker down for longer than a period must not cause a burst of catch-up reviews.
  do mon.nextReviewAt = nextPeriodEnd(mon, node.every);
  while (mon.nextReviewAt <= step.now);
  step.schedule({
    id: `${node.id}:review`,
    at: mon.nextReviewAt,
    kind: 'monitor-review',
    nodeId: node.id,
  });
}

/** Ends the next period: counted from the start (months keep their day), or chained. */
function nextPeriodEnd(mon: MonitorRecord, every: string): number {
  if (mon.startedAt === undefined || mon.period === undefined) {
    return addDuration(mon.nextReviewAt, every);
  }
  mon.period += 1;
  return addDurationTimes(mon.startedAt, every, mon.period);
}

export function retire(step: Step, userId: string, pmo: boolean, reason: string): string {
  const id = step.state.current.find((n) => step.node(n).type === 'monitor');
  if (id === undefined) refuse('not_monitoring', 'the project is not in a monitoring phase');
  const node = step.node(id) as MonitorNode;
  if (!pmo && !node.reviewers.some((r) => step.rolesOf(userId).includes(r))) {
    refuse('not_allowed', `only a reviewer of "${node.name}" or the PMO may retire it`);
  }
  step.audit('project.retired', { nodeId: id, reason });
  follow(step, id, 'done');
  return id;
}

/**
 * Planned vs actual per metric, as the post-implementation review shows it: the project's own
 * baselines and targets where it agreed them, else the template's.
 */
export function plannedVsActual(
  template: Template,
  kpis: readonly KpiReading[],
  keys?: string[],
  own?: ProjectMetrics,
) {
  return projectMetrics(template, own)
    .filter((m) => !keys || keys.includes(m.key))
    .map((m) => {
      const actual = latestValue(kpis, m.key);
      return { ...m, actual, met: actual === undefined ? undefined : onTarget(m, actual) };
    });
}
