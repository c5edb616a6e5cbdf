/** Editing from scratch: a PMO builds a valid template with drops, connects and renames. */
import { opsIntegratedDelivery, validateTemplate, type Template } from '../../workflows/model';
import { connect } from '../../designer/src/logic/edges';
import {
  addNode,
  deleteElements,
  emptyTemplate,
  moveNodes,
  nodeIdProblem,
  renameNode,
  renameRole,
  roleKeyProblem,
  uniqueKey,
  withField,
} from '../../designer/src/logic/edit';

function must<T>(r: { ok: true; template: T } | { ok: false; reason: string }): T {
  if (!r.ok) throw new Error(r.reason);
  return r.template;
}

describe('template edits', () => {
  it('starts a new template with a PM and an operations role and no nodes', () => {
    const t = emptyTemplate();
    expect(t.roles).toEqual([
      { key: 'pm', name: 'Project manager' },
      { key: 'ops-manager', name: 'Operations manager', operations: true },
    ]);
    expect(t.nodes).toEqual([]);
    expect(validateTemplate(t).valid).toBe(false);
  });

  it('builds a small valid template from scratch', () => {
    let t = emptyTemplate('small-one', 'Small one');
    for (const type of ['stage', 'gate', 'end', 'end'] as const)
      t = addNode(t, type, { x: 0, y: 0 }).template;
    expect(t.start).toBe('stage-1');
    t = must(connect(t, 'stage-1', 'gate-1', 'done'));
    t = must(connect(t, 'gate-1', 'end-1', 'go'));
    t = must(connect(t, 'gate-1', 'stage-1', 'recycle'));
    t = must(connect(t, 'gate-1', 'end-2', 'kill'));
    const end2 = t.nodes.find((n) => n.id === 'end-2')!;
    t = {
      ...t,
      nodes: t.nodes.map((n) => (n === end2 && n.type === 'end' ? { ...n, result: 'killed' } : n)),
    };
    expect(validateTemplate(t)).toMatchObject({ valid: true, errors: [] });
  });

  it('renames a node everywhere it is referenced', () => {
    let t = emptyTemplate();
    t = addNode(t, 'stage', { x: 1, y: 2 }).template;
    t = addNode(t, 'end', { x: 3, y: 4 }).template;
    t = must(connect(t, 'stage-1', 'end-1', 'done'));
    t = renameNode(t, 'stage-1', 'build');
    expect(t.start).toBe('build');
    expect(t.edges).toEqual([{ from: 'build', to: 'end-1', on: 'done' }]);
    expect(t.layout).toEqual({ build: { x: 1, y: 2 }, 'end-1': { x: 3, y: 4 } });
    expect(nodeIdProblem(t, 'build', 'end-1')).toMatch(/already/);
    expect(nodeIdProblem(t, 'build', 'Not A Slug')).toMatch(/slug/);
    expect(nodeIdProblem(t, 'build', 'build')).toBeUndefined();
  });

  it('deletes nodes with their edges and positions, and edges by id', () => {
    let t = emptyTemplate();
    for (const type of ['stage', 'gate', 'end'] as const)
      t = addNode(t, type, { x: 0, y: 0 }).template;
    t = must(connect(t, 'stage-1', 'gate-1', 'done'));
    t = must(connect(t, 'gate-1', 'end-1', 'go'));
    const noGate = deleteElements(t, ['gate-1'], []);
    expect(noGate.nodes.map((n) => n.id)).toEqual(['stage-1', 'end-1']);
    expect(noGate.edges).toEqual([]);
    expect(noGate.layout).not.toHaveProperty('gate-1');
    const noEdge = deleteElements(t, [], ['gate-1~go']);
    expect(noEdge.edges).toEqual([{ from: 'stage-1', to: 'gate-1', on: 'done' }]);
    expect(deleteElements(t, [], [])).toBe(t);
  });

  it('moves nodes, leaves optional fields out and finds free keys', () => {
    const t = moveNodes(emptyTemplate(), { a: { x: 1, y: 1 } });
    expect(t.layout).toEqual({ a: { x: 1, y: 1 } });
    const point: { a: number; b?: number } = { a: 1, b: 2 };
    expect(withField(point, 'b', undefined)).toEqual({ a: 1 });
    expect(uniqueKey('new-template', ['new-template', 'new-template-2'])).toBe('new-template-3');
  });
});

describe('renaming a role', () => {
  it('renames every reference of the built-in template, and leaves it valid', () => {
    const before = JSON.stringify(opsIntegratedDelivery);
    const uses = (t: Template, key: string) =>
      (JSON.stringify(t.nodes).match(new RegExp(`"${key}"`, 'g')) ?? []).length;
    const count = uses(opsIntegratedDelivery, 'ops-lead');
    expect(count).toBeGreaterThan(3);
    const renamed = renameRole(opsIntegratedDelivery, 'ops-lead', 'service-owner');
    expect(uses(renamed, 'ops-lead')).toBe(0);
    expect(uses(renamed, 'service-owner')).toBe(count);
    expect(renamed.roles.map((r) => r.key)).toContain('service-owner');
    expect(renamed.roles.map((r) => r.key)).not.toContain('ops-lead');
    expect(validateTemplate(renamed)).toMatchObject({ valid: true });
    // Pure: the original is untouched; renaming back gives it again.
    expect(JSON.stringify(opsIntegratedDelivery)).toBe(before);
    expect(renameRole(renamed, 'service-owner', 'ops-lead')).toEqual(opsIntegratedDelivery);
  });

  it('refuses a key that is not a slug or that another role has', () => {
    const t = opsIntegratedDelivery;
    expect(roleKeyProblem(t, 'ops-lead', 'Ops Lead')).toMatch(/slug/);
    expect(roleKeyProblem(t, 'ops-lead', 'pm')).toMatch(/already/);
    expect(roleKeyProblem(t, 'ops-lead', 'ops-lead')).toBeUndefined();
    expect(roleKeyProblem(t, 'ops-lead', 'service-owner')).toBeUndefined();
  });

  it('renames the handover node and the cost recorders with the rest', () => {
    const t = renameRole(renameNode(opsIntegratedDelivery, 'handoff', 'go-live'), 'pm', 'lead');
    expect(t.delivery).toEqual({ handover: 'go-live', costBy: ['lead'] });
    expect(validateTemplate(t)).toMatchObject({ valid: true });
  });
});
