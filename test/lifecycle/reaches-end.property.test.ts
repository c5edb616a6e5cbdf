/**
 * Property: every template the validator accepts can be driven to an `end` by the interpreter.
 * At each node the driver takes the outcome that starts a shortest path to an end and performs
 * it the way participants would (deliverables, sign-offs with full marks, completion, retire).
 */
import fc from 'fast-check';
import {
  awaitsMetricsAgreement,
  fullMarks,
  seatParticipants,
  signerRules,
  validateTemplate,
  type Node,
  type Outcome,
  type Template,
} from '../../workflows/model';
import { arbValidTemplate } from '../fixtures/arbitraries';
import { Simulator } from '../../workflows/lifecycle/simulation';
import { unitProject } from '../fixtures/unit-project';

/** Distance (in edges) from each node to the nearest end. */
function distancesToEnd(template: Template): Map<string, number> {
  const dist = new Map<string, number>();
  for (const n of template.nodes) if (n.type === 'end') dist.set(n.id, 0);
  for (let changed = true; changed;) {
    changed = false;
    for (const e of template.edges) {
      if (e.on === 'hold') continue;
      const d = dist.get(e.to);
      if (d !== undefined && (dist.get(e.from) ?? Infinity) > d + 1) {
        dist.set(e.from, d + 1);
        changed = true;
      }
    }
  }
  return dist;
}

function bestOutcome(template: Template, node: Node, dist: Map<string, number>): Outcome {
  const edges = template.edges.filter((e) => e.from === node.id && e.on !== 'hold');
  edges.sort((a, b) => (dist.get(a.to) ?? Infinity) - (dist.get(b.to) ?? Infinity));
  return edges[0]!.on;
}

/** Performs one node's outcome; returns false when the interpreter refused something. */
function perform(
  sim: Simulator,
  template: Template,
  node: Node,
  outcome: Outcome,
): string | undefined {
  const people = sim.state.participants;
  const first = (role: string) => people[role]![0]!;
  const deliver = (deliverables: { id: string; required: boolean }[] = []) => {
    for (const d of deliverables.filter((x) => x.required)) {
      const r = sim.act(first(template.roles[0]!.key), {
        type: 'deliverable',
        nodeId: node.id,
        deliverableId: d.id,
        text: 'done',
      });
      if (!r.ok) return r.rejection.code;
    }
    return undefined;
  };
  switch (node.type) {
    case 'stage': {
      const refused = deliver(node.deliverables);
      if (refused) return refused;
      const owner = node.owner ? first(node.owner) : first(template.roles[0]!.key);
      const r = sim.act(owner, { type: 'complete', nodeId: node.id });
      return r.ok ? undefined : r.rejection.code;
    }
    case 'gate':
    case 'review':
    case 'hypercare': {
      if (node.type === 'gate') {
        const refused = deliver(node.deliverables);
        if (refused) return refused;
      }
      if (awaitsMetricsAgreement(node, sim.state)) {
        const ops = template.roles.find((r) => r.operations && people[r.key]?.length)!;
        const r = sim.act(first(ops.key), { type: 'agreeMetrics' });
        if (!r.ok) return r.rejection.code;
      }
      const rules = signerRules(node);
      const criteria = node.type === 'gate' ? fullMarks(node) : undefined;
      if (outcome !== 'go' && outcome !== 'done') {
        const r = sim.act(first(rules[0]!.role), {
          type: 'signoff',
          nodeId: node.id,
          decision: outcome as 'recycle' | 'kill',
          role: rules[0]!.role,
        });
        return r.ok ? undefined : r.rejection.code;
      }
      const used = new Set<string>();
      for (const rule of rules) {
        for (const user of people[rule.role]!.filter((u) => !used.has(u)).slice(0, rule.min)) {
          used.add(user);
          if (!sim.state.current.includes(node.id)) return undefined;
          const r = sim.act(user, {
            type: 'signoff',
            nodeId: node.id,
            decision: 'go',
            role: rule.role,
            ...(criteria && { criteria }),
          });
          if (!r.ok) return r.rejection.code;
        }
      }
      return undefined;
    }
    case 'monitor': {
      const r = sim.act(first(node.reviewers[0]!), { type: 'retire', reason: 'done' });
      return r.ok ? undefined : r.rejection.code;
    }
    default:
      return `cannot act on a ${node.type}`;
  }
}

it('drives every accepted template to an end', () => {
  fc.assert(
    fc.property(arbValidTemplate(), (template) => {
      expect(validateTemplate(template).valid).toBe(true);
      const sim = new Simulator(template, {
        participants: seatParticipants(template),
        ...unitProject,
      });
      const dist = distancesToEnd(template);
      for (
        let step = 0;
        step < template.nodes.length * 3 && sim.state.status === 'active';
        step++
      ) {
        const id = sim.state.current[0]!;
        const node = template.nodes.find((n) => n.id === id)!;
        const refused = perform(sim, template, node, bestOutcome(template, node, dist));
        if (refused) throw new Error(`"${id}" (${node.type}) refused: ${refused}`);
      }
      expect(['completed', 'killed']).toContain(sim.state.status);
    }),
    { numRuns: 300 },
  );
});
