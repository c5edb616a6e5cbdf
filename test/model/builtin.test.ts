/**
 * The built-in `ops-integrated-delivery` template follows SPEC §2's lifecycle, and its
 * short-duration copy for workflow tests stays valid.
 */
import {
  addDuration,
  isDuration,
  opsIntegratedDelivery as t,
  outcomesOf,
  signerRoles,
  subtractDuration,
  validateTemplate,
  type NodeOf,
  type NodeType,
  type Template,
} from '../../workflows/model';
import { shortTemplate } from '../fixtures/short-template';

function node<T extends NodeType>(template: Template, id: string, type: T): NodeOf<T> {
  const found = template.nodes.find((n) => n.id === id);
  if (found?.type !== type) throw new Error(`no ${type} "${id}"`);
  return found as NodeOf<T>;
}

describe('ops-integrated-delivery', () => {
  it('is valid', () => {
    expect(validateTemplate(t).errors).toEqual([]);
    expect(t.key).toBe('ops-integrated-delivery');
  });

  it('walks the seed lifecycle on go/done from inception to completed', () => {
    const path: string[] = [];
    for (let id: string | undefined = t.start; id !== undefined;) {
      path.push(id);
      const from: string = id;
      id = t.edges.find((e) => e.from === from && (e.on === 'go' || e.on === 'done'))?.to;
    }
    expect(path).toEqual([
      'inception',
      'operationalization-plan',
      'plan-approval',
      'pilot',
      'pilot-review',
      'handoff',
      'hypercare',
      'pir',
      'kpi-monitoring',
      'completed',
    ]);
    expect(node(t, 'completed', 'end').result).toBe('completed');
  });

  it('seats the signers the SPEC names', () => {
    const byNode = Object.fromEntries(t.nodes.map((n) => [n.id, signerRoles(n)]));
    expect(byNode).toMatchObject({
      inception: ['pm', 'ops-lead'],
      'plan-approval': ['pm', 'ops-manager', 'steering'],
      handoff: ['pm', 'ops-manager', 'support'],
      hypercare: ['ops-manager'],
      pir: ['steering', 'ops-manager'],
    });
    const ops = t.roles.filter((r) => r.operations).map((r) => r.key);
    expect(ops).toEqual(['ops-lead', 'ops-manager', 'support']);
  });

  it('asks for the seed deliverables', () => {
    const ids = (n: { deliverables?: { id: string }[] }) => n.deliverables?.map((d) => d.id);
    expect(ids(node(t, 'inception', 'gate'))).toEqual([
      'stakeholder-map',
      'steering-charter',
      'operational-requirements',
      'success-metrics',
    ]);
    expect(ids(node(t, 'operationalization-plan', 'stage'))).toEqual([
      'process-maps',
      'training-strategy',
      'support-model',
      'maintenance-resourcing',
      'communication-plan',
    ]);
    expect(ids(node(t, 'handoff', 'gate'))).toContain('documentation-transfer');
  });

  it('times hypercare as the SPEC says', () => {
    expect(node(t, 'hypercare', 'hypercare')).toMatchObject({
      duration: 'P28D',
      extendBy: 'P7D',
      maxExtensions: 2,
      blockingSeverity: 2,
      escalation: [
        { after: 'PT0S', notify: ['ops-manager', 'pm'] },
        { after: 'P3D', notify: ['steering'] },
      ],
    });
    expect(node(t, 'kpi-monitoring', 'monitor')).toMatchObject({
      every: 'P1M',
      reviewWithin: 'P14D',
      reviewers: ['ops-manager'],
    });
  });

  it('compares every metric at the PIR', () => {
    expect(node(t, 'pir', 'review').metrics).toEqual(t.metrics?.map((m) => m.key));
  });

  it('sends recycle back to the preceding stage and kill to a killed end', () => {
    const edge = (from: string, on: string) =>
      t.edges.find((e) => e.from === from && e.on === on)?.to;
    expect(edge('plan-approval', 'recycle')).toBe('operationalization-plan');
    expect(edge('pilot-review', 'recycle')).toBe('pilot');
    expect(edge('handoff', 'recycle')).toBe('pilot');
    for (const gate of t.nodes.filter((n) => n.type === 'gate')) {
      expect(outcomesOf(gate)).toContain('kill');
      expect(edge(gate.id, 'kill')).toBe('killed');
    }
    expect(node(t, 'killed', 'end').result).toBe('killed');
  });

  it('places every node, left to right along the happy path', () => {
    expect(Object.keys(t.layout ?? {}).sort()).toEqual(t.nodes.map((n) => n.id).sort());
    const x = (id: string) => t.layout?.[id]?.x ?? NaN;
    expect(x('inception')).toBeLessThan(x('operationalization-plan'));
    expect(x('kpi-monitoring')).toBeLessThan(x('completed'));
  });
});

describe('shortTemplate', () => {
  const durationsOf = (template: Template): string[] =>
    JSON.stringify(template).match(/"-?P[0-9TYMWDHS.,]*"/g) ?? [];

  it('keeps the template valid and replaces every duration by seconds', () => {
    const short = shortTemplate();
    expect(validateTemplate(short).errors).toEqual([]);
    const all = durationsOf(short);
    expect(all.length).toBeGreaterThan(10);
    expect(all.every((d) => /^"PT\d+S"$/.test(d))).toBe(true);
    expect(node(short, 'hypercare', 'hypercare')).toMatchObject({
      duration: 'PT4S',
      extendBy: 'PT3S',
      escalation: [{ after: 'PT0S' }, { after: 'PT2S' }],
    });
    expect(node(short, 'inception', 'gate').sla).toMatchObject({
      due: 'PT30S',
      remind: ['PT10S', 'PT5S'],
      escalate: [{ after: 'PT2S' }, { after: 'PT4S' }],
    });
  });

  it('leaves the built-in template untouched', () => {
    shortTemplate();
    expect(node(t, 'hypercare', 'hypercare').duration).toBe('P28D');
  });

  it('takes other durations and keeps reminders before the due date', () => {
    const short = shortTemplate({ hypercare: 8, slaDue: 12, remindStep: 2, every: 1 });
    expect(node(short, 'hypercare', 'hypercare').duration).toBe('PT8S');
    expect(node(short, 'kpi-monitoring', 'monitor').every).toBe('PT1S');
    for (const n of short.nodes) {
      if ((n.type !== 'stage' && n.type !== 'gate') || !n.sla) continue;
      const due = addDuration(0, n.sla.due);
      for (const before of n.sla.remind ?? []) {
        expect(isDuration(before)).toBe(true);
        expect(subtractDuration(due, before)).toBeGreaterThan(0);
      }
    }
  });

  it('shortens any template passed in', () => {
    const short = shortTemplate({}, shortTemplate());
    expect(validateTemplate(short).valid).toBe(true);
  });
});
