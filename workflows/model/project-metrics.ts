/**
 * Co-created metrics (SPEC §3 "Metrics"): a project agrees its own baseline and target per
 * metric within the template's range until its metrics gate passes. Pure answers: the
 * interpreter, the API's views, the designer and the tests ask these functions.
 */
import type { NodeRecord } from './node-record';
import type { KpiReading, ProjectMetrics, ProjectState } from './state';
import type { Metric, Node, NodeOf, Template } from './template';

/** The template's metrics with the project's own baselines and targets applied. */
export function projectMetrics(template: Template, own?: ProjectMetrics): Metric[] {
  return (template.metrics ?? []).map((metric) => {
    const values = own?.values[metric.key];
    if (!values) return metric;
    return {
      ...metric,
      ...(values.baseline !== undefined && { baseline: values.baseline }),
      ...(values.target !== undefined && { target: values.target }),
    };
  });
}

/**
 * The gate whose passing fixes the project's metrics: the first gate that asks for
 * operations' agreement to them, else the first gate on the way from the start (the
 * inception gate). Undefined for a template without gates: its metrics stay open.
 */
export function metricsGate(template: Template): NodeOf<'gate'> | undefined {
  const agreed = template.nodes.find(
    (n): n is NodeOf<'gate'> => n.type === 'gate' && n.metricsAgreed === true,
  );
  if (agreed) return agreed;
  const byId = new Map(template.nodes.map((n) => [n.id, n]));
  const seen = new Set<string>([template.start]);
  const queue = [template.start];
  for (let i = 0; i < queue.length; i++) {
    const node = byId.get(queue[i]!);
    if (node?.type === 'gate') return node;
    for (const edge of template.edges) {
      if (edge.from !== queue[i] || seen.has(edge.to)) continue;
      seen.add(edge.to);
      queue.push(edge.to);
    }
  }
  return undefined;
}

/** A gate that passed at least once: a `go` among its decided visits. */
function passed(rec: NodeRecord | undefined): boolean {
  return rec !== undefined && rec.decisions.some((d) => d.outcome === 'go');
}

/** Whether the project's metrics are fixed now (its metrics gate passed). */
export function metricsLocked(template: Template, state: Pick<ProjectState, 'nodes'>): boolean {
  const gate = metricsGate(template);
  return gate !== undefined && passed(state.nodes[gate.id]);
}

/** Whether a `go` on `node` waits for operations to agree the project's metrics. */
export function awaitsMetricsAgreement(node: Node, state: Pick<ProjectState, 'metrics'>): boolean {
  return node.type === 'gate' && node.metricsAgreed === true && !state.metrics?.agreed;
}

/** The template's allowed range of a metric, as people read it ("10 … 90", "≥ 0"). */
export function rangeText(metric: Metric): string {
  if (metric.min !== undefined && metric.max !== undefined) return `${metric.min} … ${metric.max}`;
  if (metric.min !== undefined) return `≥ ${metric.min}`;
  if (metric.max !== undefined) return `≤ ${metric.max}`;
  return 'any value';
}

/** Whether `value` lies within the metric's allowed range. */
export function inRange(metric: Metric, value: number): boolean {
  return (
    (metric.min === undefined || value >= metric.min) &&
    (metric.max === undefined || value <= metric.max)
  );
}

/** One metric as a gate shows it: the project's baseline and target, the value so far. */
export interface GateMetricRow {
  key: string;
  name: string;
  unit?: string;
  direction: Metric['direction'];
  baseline?: number;
  target: number;
  /** The latest value measured before the gate was decided (or until now while it is open). */
  value?: number;
  met?: boolean;
}

/**
 * The metrics a gate lists (`metrics`), each with its latest value measured up to the gate's
 * decision: what a pilot review compares with the baseline and the target. Empty for a gate
 * that lists none.
 */
export function gateMetrics(
  template: Template,
  state: Pick<ProjectState, 'metrics' | 'kpis' | 'nodes'>,
  nodeId: string,
): GateMetricRow[] {
  const node = template.nodes.find((n) => n.id === nodeId);
  if (node?.type !== 'gate' || !node.metrics) return [];
  const until = state.nodes[nodeId]?.status === 'done' ? state.nodes[nodeId]?.leftAt : undefined;
  return projectMetrics(template, state.metrics)
    .filter((m) => node.metrics!.includes(m.key))
    .map((m) => {
      const value = latestUntil(state.kpis, m.key, until);
      return {
        key: m.key,
        name: m.name,
        ...(m.unit !== undefined && { unit: m.unit }),
        direction: m.direction,
        ...(m.baseline !== undefined && { baseline: m.baseline }),
        target: m.target,
        ...(value !== undefined && {
          value,
          met: m.direction === 'increase' ? value >= m.target : value <= m.target,
        }),
      };
    });
}

function latestUntil(kpis: readonly KpiReading[], key: string, until?: number) {
  let best: KpiReading | undefined;
  for (const k of kpis) {
    if (k.metric !== key || (until !== undefined && k.at > until)) continue;
    if (!best || k.at >= best.at) best = k;
  }
  return best?.value;
}
