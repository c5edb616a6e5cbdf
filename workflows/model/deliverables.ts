/**
 * Deliverables of stages and gates (SPEC §3): a stage completes and a gate takes a `go` only
 * once every required deliverable is in. The interpreter, next actions and the designer's
 * overlay ask the same function.
 */
import type { NodeRecord } from './node-record';
import type { Deliverable, Node } from './template';

/** The deliverables a node asks for (stages and gates). */
export function deliverablesOf(node: Node): Deliverable[] {
  return node.type === 'stage' || node.type === 'gate' ? (node.deliverables ?? []) : [];
}

/** Deliverables of `node` not yet submitted in `rec`; only the required ones by default. */
export function missingDeliverables(
  node: Node,
  rec: Pick<NodeRecord, 'deliverables'> | undefined,
  which: 'required' | 'all' = 'required',
): Deliverable[] {
  return deliverablesOf(node).filter(
    (d) => (which === 'all' || d.required) && rec?.deliverables[d.id] === undefined,
  );
}
