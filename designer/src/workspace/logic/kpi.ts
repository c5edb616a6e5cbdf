/**
 * Chart data for the post-implementation review (planned vs actual per metric) and the
 * monitor phase (KPI readings over time against the target).
 */
import type { KpiReading, Metric } from '../../../../workflows/model';
import type { PirRow } from '../types';

export interface Bar {
  label: 'Baseline' | 'Target' | 'Actual';
  value: number;
}

/** Baseline, target and actual of one metric; the ones not known are left out. */
export function pirBars(row: PirRow): Bar[] {
  const bars: Bar[] = [];
  if (row.baseline !== undefined) bars.push({ label: 'Baseline', value: row.baseline });
  bars.push({ label: 'Target', value: row.target });
  if (row.actual !== undefined) bars.push({ label: 'Actual', value: row.actual });
  return bars;
}

export type MetricVerdict = 'met' | 'missed' | 'no-data';

export function verdictOf(row: Pick<PirRow, 'met'>): MetricVerdict {
  if (row.met === undefined) return 'no-data';
  return row.met ? 'met' : 'missed';
}

/** Readings of one metric by measurement time, oldest first. */
export function kpiSeries(
  kpis: readonly KpiReading[],
  metric: string,
): { at: number; value: number }[] {
  return kpis
    .filter((k) => k.metric === metric)
    .map(({ at, value }) => ({ at, value }))
    .sort((a, b) => a.at - b.at);
}

/** How far the latest value moved from baseline toward target, 0..1 (clamped); undefined without data. */
export function progressToTarget(metric: Metric, actual: number | undefined): number | undefined {
  if (actual === undefined || metric.baseline === undefined || metric.baseline === metric.target) {
    return undefined;
  }
  const share = (actual - metric.baseline) / (metric.target - metric.baseline);
  return Math.min(1, Math.max(0, share));
}

/** A chart's y-axis end: a number, or Recharts' own choice from the data. */
export type AxisEnd = number | 'auto';

/**
 * The y-axis of a metric's chart: its allowed range where the template gives one (a 1–5 score
 * is drawn on 1–5), widened to any baseline, target or reading outside it so nothing is hidden;
 * an end without a bound keeps the chart's usual one (`otherwise`).
 */
export function metricDomain(
  metric: Pick<Metric, 'min' | 'max' | 'baseline' | 'target'>,
  values: readonly (number | undefined)[],
  otherwise: [AxisEnd, AxisEnd] = ['auto', 'auto'],
): [AxisEnd, AxisEnd] {
  const shown = [metric.baseline, metric.target, ...values].filter(
    (v): v is number => v !== undefined,
  );
  return [
    metric.min === undefined ? otherwise[0] : Math.min(metric.min, ...shown),
    metric.max === undefined ? otherwise[1] : Math.max(metric.max, ...shown),
  ];
}
