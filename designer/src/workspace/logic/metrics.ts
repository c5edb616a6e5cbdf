/**
 * The project view's metrics and KPI review forms as pure functions: what the form starts
 * from and the request body it sends (only what changed), so both are testable without a
 * browser.
 */
import {
  projectMetrics,
  rangeText,
  type ConditionInput,
  type DeliveryMeasures,
  type KpiDecision,
  type ProjectMetrics,
  type Template,
} from '../../../../workflows/model';

/** Inputs as typed: text per field, so an empty field means "not set". */
export interface MetricsDraft {
  values: Record<string, { baseline: string; target: string }>;
  targetDate: string;
  budget: string;
  currency: string;
}

export interface MetricRow {
  key: string;
  name: string;
  unit?: string;
  direction: 'increase' | 'decrease';
  baseline?: number;
  target: number;
  /** The template's values, shown beside the project's when they differ. */
  template: { baseline?: number; target: number };
  range: string;
}

/** Each metric as the project holds it, beside the template's values and allowed range. */
export function metricRows(template: Template, own?: ProjectMetrics): MetricRow[] {
  const base = new Map((template.metrics ?? []).map((m) => [m.key, m]));
  return projectMetrics(template, own).map((m) => {
    const t = base.get(m.key)!;
    return {
      key: m.key,
      name: m.name,
      ...(m.unit !== undefined && { unit: m.unit }),
      direction: m.direction,
      ...(m.baseline !== undefined && { baseline: m.baseline }),
      target: m.target,
      template: { ...(t.baseline !== undefined && { baseline: t.baseline }), target: t.target },
      range: rangeText(t),
    };
  });
}

const text = (n: number | undefined) => (n === undefined ? '' : String(n));

export function metricsDraftOf(template: Template, own?: ProjectMetrics): MetricsDraft {
  return {
    values: Object.fromEntries(
      metricRows(template, own).map((r) => [
        r.key,
        { baseline: text(r.baseline), target: text(r.target) },
      ]),
    ),
    targetDate: own?.delivery?.targetDate ?? '',
    budget: text(own?.delivery?.budget),
    currency: own?.delivery?.currency ?? '',
  };
}

/**
 * What the form holds now: each field the user changed from the form as it opened (`opened`,
 * drafted from `seen`) as typed, every other field as the project holds it now (`own`, the live
 * state). So a value someone else set meanwhile shows, and is not sent back stale on save.
 */
export function effectiveDraft(
  template: Template,
  seen: ProjectMetrics | undefined,
  own: ProjectMetrics | undefined,
  draft: MetricsDraft,
): MetricsDraft {
  const opened = metricsDraftOf(template, seen);
  const now = metricsDraftOf(template, own);
  const pick = (typed: string | undefined, was: string | undefined, current: string) =>
    typed !== undefined && typed !== (was ?? '') ? typed : current;
  return {
    values: Object.fromEntries(
      Object.entries(now.values).map(([key, v]) => [
        key,
        {
          baseline: pick(draft.values[key]?.baseline, opened.values[key]?.baseline, v.baseline),
          target: pick(draft.values[key]?.target, opened.values[key]?.target, v.target),
        },
      ]),
    ),
    targetDate: pick(draft.targetDate, opened.targetDate, now.targetDate),
    budget: pick(draft.budget, opened.budget, now.budget),
    currency: pick(draft.currency, opened.currency, now.currency),
  };
}

/**
 * The `setMetrics` body for a draft: the values that differ from what the project holds now,
 * and the delivery measures when they changed. Undefined when nothing changed. A field that
 * is not a number is sent as typed-in text would be: left out, so the form says so itself.
 */
export function metricsBodyOf(
  template: Template,
  own: ProjectMetrics | undefined,
  draft: MetricsDraft,
):
  | {
      metrics?: Record<string, { baseline?: number; target?: number }>;
      delivery?: DeliveryMeasures;
    }
  | undefined {
  const now = new Map(metricRows(template, own).map((r) => [r.key, r]));
  const metrics: Record<string, { baseline?: number; target?: number }> = {};
  for (const [key, v] of Object.entries(draft.values)) {
    const row = now.get(key);
    if (!row) continue;
    const changed: { baseline?: number; target?: number } = {};
    const baseline = numberOf(v.baseline);
    const target = numberOf(v.target);
    if (baseline !== undefined && baseline !== row.baseline) changed.baseline = baseline;
    if (target !== undefined && target !== row.target) changed.target = target;
    if (Object.keys(changed).length > 0) metrics[key] = changed;
  }
  const delivery: DeliveryMeasures = {
    ...(draft.targetDate.trim() && { targetDate: draft.targetDate.trim() }),
    ...(numberOf(draft.budget) !== undefined && { budget: numberOf(draft.budget)! }),
    ...(draft.currency.trim() && { currency: draft.currency.trim().toUpperCase() }),
  };
  const deliveryChanged = JSON.stringify(delivery) !== JSON.stringify(own?.delivery ?? {});
  if (Object.keys(metrics).length === 0 && !deliveryChanged) return undefined;
  return {
    ...(Object.keys(metrics).length > 0 && { metrics }),
    ...(deliveryChanged && { delivery }),
  };
}

function numberOf(value: string): number | undefined {
  if (value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** A KPI review as typed in. */
export interface ReviewDraft {
  values: Record<string, string>;
  decision: KpiDecision;
  comment: string;
  actions: { text: string; due: string; owner: string }[];
}

export function reviewBodyOf(draft: ReviewDraft): {
  values?: Record<string, number>;
  decision: KpiDecision;
  comment?: string;
  actions?: ConditionInput[];
} {
  const values = Object.fromEntries(
    Object.entries(draft.values).flatMap(([k, v]) => {
      const n = numberOf(v);
      return n === undefined ? [] : [[k, n]];
    }),
  );
  const actions = draft.actions.filter((a) => a.text.trim() !== '');
  return {
    ...(Object.keys(values).length > 0 && { values }),
    decision: draft.decision,
    ...(draft.comment.trim() && { comment: draft.comment.trim() }),
    ...(actions.length > 0 && {
      actions: actions.map((a) => ({ text: a.text.trim(), due: a.due, owner: a.owner })),
    }),
  };
}
