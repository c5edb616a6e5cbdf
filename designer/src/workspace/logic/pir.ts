/**
 * Planned vs actual for a state that arrived over the event stream (which carries the bare
 * state): computed with the same function the API uses for `pir`.
 */
import { plannedVsActual } from '../../../../workflows/lifecycle/monitor';
import type { KpiReading, Template } from '../../../../workflows/model';
import type { PirRow } from '../types';

export function pirOf(template: Template, kpis: readonly KpiReading[]): PirRow[] {
  const review = template.nodes.find((n) => n.type === 'review');
  return plannedVsActual(template, kpis, review?.type === 'review' ? review.metrics : undefined);
}
