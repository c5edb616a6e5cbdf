/**
 * What a candidate template version would do to a running project (issue 15): its class and
 * the differences that make it so. The interpreter computes it (lifecycle/impact.ts); the
 * app database stores it, the API and the CLI answer it.
 */
import { z } from 'zod';

/** `unchanged`: migrates as it stands; `differs`: migrates, with differences; `blocked`: cannot. */
export const IMPACT_CLASSES = ['unchanged', 'differs', 'blocked'] as const;
export const ImpactClass = z.enum(IMPACT_CLASSES);
export type ImpactClass = z.infer<typeof ImpactClass>;

/**
 * `node`: it would stand elsewhere; `status`: on hold or not; `signoff_void`: a sign-off it
 * took would not count; `signoff_missing`, `deliverable_missing`: what the node it would stand
 * in still wants; `action_refused`: later actions that would be refused; `deadline`: a
 * deadline that moves, appears or goes; `blocked`, `participants`: why migration refuses;
 * `unreadable`: its history could not be read or replayed, so nothing is promised.
 */
export const DIFFERENCE_KINDS = [
  'node',
  'status',
  'signoff_void',
  'signoff_missing',
  'deliverable_missing',
  'action_refused',
  'deadline',
  'participants',
  'blocked',
  'unreadable',
] as const;
export const DifferenceKind = z.enum(DIFFERENCE_KINDS);
export type DifferenceKind = z.infer<typeof DifferenceKind>;

export const Difference = z.object({
  kind: DifferenceKind,
  /** The node it concerns, when one does. */
  nodeId: z.string().optional(),
  message: z.string(),
});
export type Difference = z.infer<typeof Difference>;

export const ProjectImpact = z.object({
  projectId: z.string(),
  /** The project's name (absent when its history could not be read). */
  name: z.string().optional(),
  class: ImpactClass,
  /** The version it runs now (0 when its history could not be read). */
  version: z.number().int(),
  /** Where it stands now. */
  current: z.array(z.string()),
  /** Where it would stand had it run the candidate from its start. */
  wouldStand: z.array(z.string()),
  differences: z.array(Difference),
});
export type ProjectImpact = z.infer<typeof ProjectImpact>;

/** Projects per class, every class present. */
export const ImpactSummary = z.object({
  unchanged: z.number().int(),
  differs: z.number().int(),
  blocked: z.number().int(),
});
export type ImpactSummary = z.infer<typeof ImpactSummary>;
