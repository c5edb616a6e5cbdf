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
