/**
 * Readiness you can see (SPEC §3 "Readiness"): a gate's checklist of the people side of a
 * go-live — the ADKAR stage each affected group reached, training coverage per role as a
 * measured number, the support model confirmed in place — recorded by the participants and
 * treated as must-criteria of a `go`. One pure answer (`readinessOf`) serves the interpreter,
 * the API's views, the designer, the simulation and the tests.
 */
import { z } from 'zod';
import type { NodeOf } from './template';
import type { NodeRecord } from './node-record';

/** The change-management stages people go through, in order (Prosci's ADKAR). */
export const ADKAR_STAGES = [
  'awareness',
  'desire',
  'knowledge',
  'ability',
  'reinforcement',
] as const;
export const AdkarStage = z.enum(ADKAR_STAGES);
export type AdkarStage = z.infer<typeof AdkarStage>;
/** The stage a group must reach when the template names none: able to work the new way. */
export const DEFAULT_ADKAR_STAGE: AdkarStage = 'ability';

/** One affected group as a gate shows it. */
export interface ReadinessGroupRow {
  key: string;
  name: string;
  required: AdkarStage;
  stage?: AdkarStage;
  met: boolean;
}
/** One trained role as a gate shows it; `coverage` is trained / total (0..1). */
export interface ReadinessTrainingRow {
  key: string;
  name: string;
  min: number;
  trained?: number;
  total?: number;
  coverage?: number;
  met: boolean;
}
/** Something a `go` still waits for, with the input field that records it. */
export interface ReadinessGap {
  path: (string | number)[];
  message: string;
}
/** A gate's checklist with what was recorded, and what a `go` still waits for. */
export interface ReadinessView {
  groups: ReadinessGroupRow[];
  training: ReadinessTrainingRow[];
  supportModel?: { required: true; inPlace?: boolean; by?: string; role?: string; at?: number };
  gaps: ReadinessGap[];
  ready: boolean;
}

/** Whether `stage` is `required` or a later one. */
export function reached(stage: AdkarStage | undefined, required: AdkarStage): boolean {
  return stage !== undefined && ADKAR_STAGES.indexOf(stage) >= ADKAR_STAGES.indexOf(required);
}

/** A coverage as people read it ("18 / 20 (90%)"). */
export function coverageText(trained: number, total: number): string {
  return `${trained} / ${total} (${Math.floor((trained / total) * 100)}%)`;
}

/** The gate's checklist against what was recorded; undefined for a gate without one. */
export function readinessOf(
  node: NodeOf<'gate'>,
  rec: Pick<NodeRecord, 'readiness'> | undefined,
): ReadinessView | undefined {
  const list = node.readiness;
  if (!list) return undefined;
  const own = rec?.readiness;
  const gaps: ReadinessGap[] = [];
  const groups = (list.groups ?? []).map((g): ReadinessGroupRow => {
    const required = g.stage ?? DEFAULT_ADKAR_STAGE;
    const stage = own?.adkar[g.key]?.stage;
    const met = reached(stage, required);
    if (!met) {
      gaps.push({
        path: ['adkar', g.key],
        message: `${g.name} reached ${stage ?? 'no ADKAR stage yet'}, ${required} needed`,
      });
    }
    return { key: g.key, name: g.name, required, ...(stage && { stage }), met };
  });
  const training = (list.training?.roles ?? []).map((r): ReadinessTrainingRow => {
    const min = r.min ?? list.training!.min;
    const count = own?.training[r.key];
    const coverage = count && count.total > 0 ? count.trained / count.total : undefined;
    const met = coverage !== undefined && coverage >= min;
    if (!met) {
      gaps.push({
        path: ['training', r.key],
        message: `${r.name}: ${count ? coverageText(count.trained, count.total) : 'no count'} trained, ${Math.round(min * 100)}% needed`,
      });
    }
    return {
      key: r.key,
      name: r.name,
      min,
      ...(count && { trained: count.trained, total: count.total }),
      ...(coverage !== undefined && { coverage }),
      met,
    };
  });
  let supportModel: ReadinessView['supportModel'];
  if (list.supportModel) {
    const s = own?.supportModel;
    supportModel = { required: true, ...s };
    if (!s?.inPlace) {
      gaps.push({
        path: ['supportModel'],
        message: s
          ? `${s.by} (${s.role}) said the support model is not in place`
          : 'operations have not confirmed the support model is in place',
      });
    }
  }
  return { groups, training, ...(supportModel && { supportModel }), gaps, ready: !gaps.length };
}

/** What a `go` on `node` still waits for from its readiness checklist (none: ready). */
export function readinessGaps(
  node: NodeOf<'gate'>,
  rec: Pick<NodeRecord, 'readiness'> | undefined,
): ReadinessGap[] {
  return readinessOf(node, rec)?.gaps ?? [];
}

/**
 * What records a gate's checklist as fully met: every group at its required stage, every
 * role trained in full (of `people` each), the support model in place. What a convinced
 * participant sends, like `fullMarks` for criteria; empty parts for a gate without a checklist.
 */
export function fullReadiness(node: NodeOf<'gate'>, people = 10) {
  const list = node.readiness;
  return {
    adkar: Object.fromEntries(
      (list?.groups ?? []).map((g) => [g.key, g.stage ?? DEFAULT_ADKAR_STAGE]),
    ),
    training: Object.fromEntries(
      (list?.training?.roles ?? []).map((r) => [r.key, { trained: people, total: people }]),
    ),
    ...(list?.supportModel && { supportModel: { inPlace: true } }),
  };
}

/**
 * The part of `fullReadiness` one open item records: `adkar:<group>`, `training:<role>` or
 * `supportModel` (the item ids `nextActions` gives a readiness gap); everything but the
 * support model without an item (what anyone taking part may record).
 */
export function readinessItemInput(node: NodeOf<'gate'>, itemId?: string) {
  const full = fullReadiness(node);
  if (itemId === 'supportModel')
    return full.supportModel ? { supportModel: full.supportModel } : {};
  const [part, key = ''] = (itemId ?? '').split(':');
  if (part === 'adkar' && key in full.adkar) return { adkar: { [key]: full.adkar[key]! } };
  if (part === 'training' && key in full.training) {
    return { training: { [key]: full.training[key]! } };
  }
  return { adkar: full.adkar, training: full.training };
}
