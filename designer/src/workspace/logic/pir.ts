/**
 * Planned vs actual for a state that arrived over the event stream (which carries the bare
 * state): computed with the same function the API uses for `pir`.
 */
import { plannedVsActual } from '../../../../workflows/lifecycle/monitor';
import type { KpiReading, ProjectMetrics, Template } from '../../../../workflows/model';
import type { PirRow } from '../types';

export function pirOf(
  template: Template,
  kpis: readonly KpiReading[],
  own?: ProjectMetrics,
): PirRow[] {
  const review = template.nodes.find((n) => n.type === 'review');
  const keys = review?.type === 'review' ? review.metrics : undefined;
  return plannedVsActual(template, kpis, keys, own);
}
