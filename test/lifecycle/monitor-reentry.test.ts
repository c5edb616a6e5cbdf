/**
 * A monitor entered again (a template looping back into it) numbers its reviews on from its
 * earlier visits (patch "revisit-counts"), so that no notice, audit entry, inbox item or answer
 * of its second visit reads like one of its first. The follow-ups of its second visit must not
 * take the ids of its first visit's either, or completing one would hit the other, their timers
 * would replace each other and the inbox would list two items under one id. A first visit's
 * ids stay as they always were.
 */
import { decide, pendingActions, type DecideOptions } from '../../workflows/lifecycle';
import { Simulator } from '../../workflows/lifecycle/simulation';
import { validateTemplate, type CommandOf, type NodeOf } from '../../workflows/model';
import { loopParticipants, loopTemplate } from '../fixtures/loop-template';
import { unitProject } from '../fixtures/unit-project';

const S = 1000;

/** Omar does the open review, asking the pm for one follow-up. */
const act = (text: string): CommandOf<'kpiReview'> => ({
  type: 'kpiReview',
  nodeId: 'monitor',
  decision: 'act',
  actions: [{ text, due: 'PT30S', owner: 'pm' }],
  actor: { userId: 'omar' },
});

/**
 * The project with the first review of its monitor's second visit open, the first visit's
 * review #1 done; the monitor entered again as a run with `options` enters it.
 */
function secondVisit(options: DecideOptions = {}): Simulator {
  const sim = new Simulator(loopTemplate, { participants: loopParticipants, ...unitProject });
  sim.advance(10 * S);
  sim.must('omar', act('FAQ for the top tickets'));
  sim.must('olga', { type: 'retire', reason: 'steady' });
  const recycle = { type: 'signoff', nodeId: 'reassess', decision: 'recycle' } as const;
  if (Object.keys(options).length === 0) sim.must('olga', recycle);
  else {
    const decision = decide(
      sim.machine,
      { ...recycle, actor: { userId: 'olga' } },
      sim.now,
      options,
    );
    if (!decision.ok) throw new Error(decision.rejection.message);
    sim.session = { ...sim.session, machine: decision.machine };
  }
  expect(sim.state.nodes.monitor).toMatchObject({ status: 'active', visits: 2 });
  sim.advance(10 * S);
  return sim;
}

/** Review #1 of the first visit and review #2 (the second visit's first) done, each acting. */
function twoVisits(): Simulator {
  const sim = secondVisit();
  sim.must('omar', act('Train the new support shift'));
  return sim;
}

describe('a monitor entered again', () => {
  it('loops in a valid template', () => {
    expect(validateTemplate(loopTemplate).errors).toEqual([]);
  });

  it('names its second visit’s follow-ups apart from the first’s, which keep their ids', () => {
    const sim = twoVisits();
    const ids = sim.state.conditions.map((c) => [c.id, c.text]);
    expect(ids).toEqual([
      ['monitor-review-1-1', 'FAQ for the top tickets'],
      ['monitor-review-2-1-v2', 'Train the new support shift'],
    ]);
    expect(sim.state.nodes.monitor!.monitor!.done).toEqual([
      expect.objectContaining({ number: 2, actions: ['monitor-review-2-1-v2'] }),
    ]);
    // Each keeps its own due-date timer.
    const timers = sim.state.deadlines.filter((d) => d.kind === 'condition-due');
    expect(timers.map((d) => d.conditionId).sort()).toEqual([
      'monitor-review-1-1',
      'monitor-review-2-1-v2',
    ]);
    // The owner's inbox lists two items, one id each.
    const items = pendingActions(sim.state, sim.machine.template, 'pat')
      .filter((a) => a.action === 'meet-condition')
      .map((a) => [a.itemId, a.detail]);
    expect(items).toEqual(ids);
  });

  it('completes the very follow-up named, each once', () => {
    const sim = twoVisits();
    sim.must('pat', { type: 'conditionMet', conditionId: 'monitor-review-2-1-v2' });
    expect(sim.state.conditions.map((c) => [c.id, c.status])).toEqual([
      ['monitor-review-1-1', 'open'],
      ['monitor-review-2-1-v2', 'met'],
    ]);
    sim.must('pat', { type: 'conditionMet', conditionId: 'monitor-review-1-1' });
    expect(sim.state.conditions.every((c) => c.status === 'met')).toBe(true);
  });

  it('misses each follow-up by its own due date', () => {
    const sim = twoVisits();
    sim.advance(30 * S);
    expect(sim.state.conditions.map((c) => [c.id, c.status])).toEqual([
      ['monitor-review-1-1', 'missed'],
      ['monitor-review-2-1-v2', 'missed'],
    ]);
    expect(sim.notified('condition-missed')).toHaveLength(2);
  });

  it('numbers the second visit’s reviews on from the first’s, in every notice and answer', () => {
    const sim = secondVisit();
    expect(sim.state.nodes.monitor!.monitor!.open).toMatchObject({ number: 2 });
    expect(pendingActions(sim.state, sim.machine.template, 'omar')).toContainEqual(
      expect.objectContaining({ action: 'kpi-review', itemId: '2' }),
    );
    expect(sim.must('omar', act('Train the new support shift')).id).toBe('2');
    const started = sim.notifications.filter((n) => n.subject.includes('KPI monitoring'));
    expect(started.map((n) => n.subject)).toEqual([
      'Project One: KPI monitoring started',
      'Project One: KPI monitoring started again',
    ]);
    expect(started[1]!.text).toMatch(/has started again; KPI review #2 is due /);
    const reviews = sim.notified('kpi-review').map((n) => n.subject.replace(/ due .*/, ''));
    expect(reviews).toEqual(['Project One: KPI review #1', 'Project One: KPI review #2']);
    const asks = sim.notified('action-required').filter((n) => n.text.startsWith('KPI review'));
    expect(asks.map((n) => n.text.slice(0, 13))).toEqual(['KPI review #1', 'KPI review #2']);
    const audited = sim.audits.filter((a) => a.action.startsWith('monitor.review'));
    expect(audited.map((a) => [a.action, a.detail?.review])).toEqual([
      ['monitor.review-opened', 1],
      ['monitor.reviewed', 1],
      ['monitor.review-opened', 2],
      ['monitor.reviewed', 2],
    ]);
    // Every notice has a key of its own: a channel delivers each (once).
    const keys = sim.notifications.map((n) => n.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('without `reviewWithin`, numbers its notified reviews on as well', () => {
    const { reviewWithin: _within, ...monitor } = loopTemplate.nodes[0] as NodeOf<'monitor'>;
    const template = { ...loopTemplate, nodes: [monitor, ...loopTemplate.nodes.slice(1)] };
    const sim = new Simulator(template, { participants: loopParticipants, ...unitProject });
    sim.advance(10 * S);
    sim.must('olga', { type: 'retire', reason: 'steady' });
    sim.must('olga', { type: 'signoff', nodeId: 'reassess', decision: 'recycle' });
    sim.advance(10 * S);
    const reviews = sim.notified('kpi-review');
    expect(reviews.map((n) => n.subject)).toEqual([
      'Project One: KPI review #1',
      'Project One: KPI review #2',
    ]);
    expect(reviews[1]!.text).toMatch(/^KPI review #2 of "KPI reviews":/);
  });

  it('in a run begun before patch revisit-counts, numbers them from #1 again', () => {
    const sim = secondVisit({ legacyRevisitCounts: true });
    expect(sim.state.nodes.monitor!.monitor!.open).toMatchObject({ number: 1 });
    const second = act('Train the new support shift');
    const decision = decide(sim.machine, second, sim.now, { legacyRevisitCounts: true });
    expect(decision.ok && decision.machine.state.conditions.map((c) => c.id)).toEqual([
      'monitor-review-1-1',
      'monitor-review-1-1-v2',
    ]);
  });

  it('in a run begun before patch kpi-follow-up-visits, names them as that run always has', () => {
    const legacy = { reusedFollowUpIds: true, legacyRevisitCounts: true };
    const sim = secondVisit(legacy);
    const second = act('Train the new support shift');
    const decision = decide(sim.machine, second, sim.now, legacy);
    expect(decision.ok && decision.machine.state.conditions.map((c) => c.id)).toEqual([
      'monitor-review-1-1',
      'monitor-review-1-1',
    ]);
  });
});
