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

/** One visit's share of a review's decisions or follow-up actions. */
export interface VisitGroup<T> {
  visit: number;
  /** The review's latest visit (the one under way while the review is current). */
  latest: boolean;
  items: T[];
}

/**
 * A review's items by the visit of the review they belong to: its latest visit first (also
 * when that has none yet), then earlier visits, newest first; each group keeps its items'
 * order. An item whose visit is unknown counts as the first visit's.
 */
export function byVisit<T>(
  items: readonly T[],
  visitOf: (item: T) => number | undefined,
  visits: number,
): VisitGroup<T>[] {
  const groups = new Map<number, T[]>([[visits, []]]);
  for (const item of items) {
    const visit = visitOf(item) ?? 1;
    const group = groups.get(visit);
    if (group) group.push(item);
    else groups.set(visit, [item]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => b - a)
    .map(([visit, grouped]) => ({ visit, latest: visit === visits, items: grouped }));
}

/**
 * A visit group's heading: "This visit (visit 2)" while the review is current, "Latest visit
 * (visit 2)" once it is left, "Visit 1" for an earlier one; with its count of `noun`s.
 */
export function visitHeading(group: VisitGroup<unknown>, current: boolean, noun: string): string {
  const title = !group.latest
    ? `Visit ${group.visit}`
    : `${current ? 'This' : 'Latest'} visit (visit ${group.visit})`;
  const n = group.items.length;
  return `${title} · ${n} ${noun}${n === 1 ? '' : 's'}`;
}
