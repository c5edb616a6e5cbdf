import { opsIntegratedDelivery, type ProjectState } from '../../workflows/model';
import { edgeTaken, nodeOverlay, overlays } from '../../designer/src/workspace/logic/overlay';
import { progressShown, projectProgress } from '../../designer/src/workspace/logic/progress';
import { SIM_EPOCH as T0, Simulator } from '../../workflows/lifecycle/simulation';
import { unitProject } from '../fixtures/unit-project';

const template = opsIntegratedDelivery;
const participants = {
  pm: ['u-pm'],
  'ops-lead': ['u-ol'],
  'ops-manager': ['u-om'],
  support: ['u-sup'],
  steering: ['u-st'],
};
const node = (id: string) => template.nodes.find((n) => n.id === id)!;

describe('node overlays', () => {
  it('shows the open gate active with its tallies and deliverables, the rest pending', () => {
    const sim = new Simulator(template, { participants: participants, ...unitProject });
    const all = overlays(template, sim.state, T0);
    expect(all['inception']).toMatchObject({
      status: 'active',
      current: true,
      visits: 1,
      deliverables: { submitted: 0, total: 4, requiredMissing: 4 },
    });
    expect(all['inception']!.tallies.map((t) => t.label)).toEqual(['pm 0/1', 'ops-lead 0/1']);
    expect(all['pilot']).toMatchObject({ status: 'pending', current: false, visits: 0 });
  });

  it('counts go votes per rule and submitted deliverables as they come in', () => {
    const sim = new Simulator(template, { participants: participants, ...unitProject });
    for (const d of ['stakeholder-map', 'steering-charter', 'operational-requirements']) {
      sim.must('u-pm', { type: 'deliverable', nodeId: 'inception', deliverableId: d, text: 'x' });
    }
    sim.must('u-pm', {
      type: 'signoff',
      nodeId: 'inception',
      decision: 'kill',
      comment: 'not now',
    });
    const o = nodeOverlay(node('inception'), sim.state, template, T0);
    expect(o.status).toBe('done');
    expect(o.outcome).toBe('kill');
    expect(o.deliverables).toEqual({ submitted: 3, total: 4, requiredMissing: 1 });
    expect(o.otherVotes).toEqual([{ decision: 'kill', count: 1 }]);
    expect(o.tallies[0]).toMatchObject({ role: 'pm', go: 0, min: 1, met: false });
    const killEdge = template.edges.find((e) => e.from === 'inception' && e.on === 'kill')!;
    const goEdge = template.edges.find((e) => e.from === 'inception' && e.on === 'go')!;
    expect(edgeTaken(killEdge, sim.state)).toBe(true);
    expect(edgeTaken(goEdge, sim.state)).toBe(false);
  });

  it('marks hypercare blocked while a blocking issue is open, on hold when the project is', () => {
    const sim = new Simulator(template, { participants: participants, ...unitProject });
    const state: ProjectState = structuredClone(sim.state);
    state.current = ['hypercare'];
    state.nodes['inception']!.status = 'done';
    state.nodes['hypercare'] = {
      ...state.nodes['hypercare']!,
      status: 'active',
      visits: 1,
      enteredAt: T0,
      hypercare: { expiresAt: T0 + 5000, extensions: 1, phase: 'running', escalated: [] },
    };
    const issue = { nodeId: 'hypercare', raisedBy: 'u-om', raisedAt: T0, status: 'open' as const };
    state.issues = [{ ...issue, id: 'i1', severity: 3, title: 'minor' }];
    expect(nodeOverlay(node('hypercare'), state, template, T0)).toMatchObject({
      status: 'active',
      openIssues: 1,
      blockingIssues: 0,
      hypercare: { expiresAt: T0 + 5000, extensions: 1, maxExtensions: 2, phase: 'running' },
    });
    state.issues.push({ ...issue, id: 'i2', severity: 1, title: 'outage' });
    expect(nodeOverlay(node('hypercare'), state, template, T0).status).toBe('blocked');
    state.status = 'on_hold';
    expect(nodeOverlay(node('hypercare'), state, template, T0).status).toBe('on_hold');

    const progress = projectProgress(state, template, T0 + 3 * 86_400_000 + 5);
    expect(progress).toMatchObject({
      current: [{ id: 'hypercare', name: node('hypercare').name }],
      inNode: '3 days',
      openIssues: 2,
      hypercare: { expiresAt: T0 + 5000, phase: 'running' },
    });
  });

  it('flags an active node past its due date as overdue', () => {
    const sim = new Simulator(template, { participants: participants, ...unitProject });
    const due = sim.state.nodes['inception']!.dueAt;
    expect(due).toBeDefined();
    expect(nodeOverlay(node('inception'), sim.state, template, due! + 1).overdue).toBe(true);
    expect(nodeOverlay(node('inception'), sim.state, template, due! - 1).overdue).toBe(false);
  });
});

describe('time in the current node', () => {
  it('is said in the unit that fits, not in whole days', () => {
    const summary = { current: [{ id: 'pilot', name: 'Pilot', since: T0 }] };
    const at = (ms: number) => progressShown(summary, T0 + ms).inNode;
    expect(at(3 * 3_600_000 + 60_000)).toBe('3 hours');
    expect(at(20 * 60_000)).toBe('20 minutes');
    expect(at(10_000)).toBe('less than a minute');
    expect(at(86_400_000 + 3_600_000)).toBe('1 day');
    expect(at(-60_000)).toBe('less than a minute');
  });
});

describe('projectProgress without the template', () => {
  it('falls back to node ids', () => {
    const sim = new Simulator(template, { participants: participants, ...unitProject });
    expect(projectProgress(sim.state, undefined, T0).current).toEqual([
      { id: 'inception', name: 'inception' },
    ]);
  });
});
