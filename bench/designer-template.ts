/**
 * A valid template of any size for the designer bench: a long lifecycle of stage → gate pairs,
 * each gate going on or recycling to its stage, then an end. Laid out on a plain grid, so that
 * auto-layout has real work to do. The gates cannot kill: kill edges from every gate to one end
 * would span up to hundreds of layers each, and the bench would time ELK's handling of those
 * (16 s at 500 nodes) rather than the designer.
 */
import { TEMPLATE_SCHEMA, validateTemplate, type Node, type Template } from '../workflows/model';

export const BENCH_TEMPLATE_KEY = 'bench-chain';

export function chainTemplate(size: number): Template {
  if (!Number.isInteger(size) || size < 3) throw new Error(`--nodes: at least 3, got ${size}`);
  const pairs = Math.floor((size - 1) / 2);
  const nodes: Node[] = [];
  const edges: Template['edges'] = [];
  // An even size gets a notify node in front, so that the count is exact.
  if (size % 2 === 0) {
    nodes.push({ id: 'kickoff', type: 'notify', name: 'Kick-off', to: ['pm'], message: 'Go!' });
    edges.push({ from: 'kickoff', to: 'stage-1', on: 'done' });
  }
  for (let i = 1; i <= pairs; i++) {
    const stage = `stage-${i}`;
    const gate = `gate-${i}`;
    nodes.push(
      {
        id: stage,
        type: 'stage',
        name: `Stage ${i}`,
        owner: 'pm',
        deliverables: [{ id: 'plan', name: 'Plan', required: true }],
      },
      {
        id: gate,
        type: 'gate',
        name: `Gate ${i}`,
        owner: 'pm',
        signoff: {
          rules: [
            { role: 'pm', min: 1 },
            { role: 'ops-manager', min: 1 },
          ],
        },
        criteria: [{ id: 'ops-ready', text: 'Operations are ready', kind: 'must' }],
        decisions: ['go', 'recycle', 'hold'],
      },
    );
    edges.push(
      { from: stage, to: gate, on: 'done' },
      { from: gate, to: i === pairs ? 'completed' : `stage-${i + 1}`, on: 'go' },
      { from: gate, to: stage, on: 'recycle' },
    );
  }
  nodes.push({ id: 'completed', type: 'end', name: 'Completed', result: 'completed' });
  const columns = Math.ceil(Math.sqrt(nodes.length));
  const layout = Object.fromEntries(
    nodes.map((node, i) => [node.id, { x: (i % columns) * 280, y: Math.floor(i / columns) * 200 }]),
  );
  const template: Template = {
    schema: TEMPLATE_SCHEMA,
    key: BENCH_TEMPLATE_KEY,
    name: `Bench chain (${nodes.length} nodes)`,
    roles: [
      { key: 'pm', name: 'Project manager' },
      { key: 'ops-manager', name: 'Operations manager', operations: true },
    ],
    start: nodes[0]!.id,
    nodes,
    edges,
    layout,
  };
  const { errors } = validateTemplate(template);
  if (errors.length > 0) {
    throw new Error(`bench template is invalid: ${JSON.stringify(errors.slice(0, 3))}`);
  }
  return template;
}
