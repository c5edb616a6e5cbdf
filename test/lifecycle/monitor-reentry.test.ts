/**
 * A monitor entered again (a template looping back into it) counts its reviews from 1 again:
 * the follow-ups of its second visit must not take the ids of its first visit's, or completing
 * one would hit the other, their timers would replace each other and the inbox would list two
 * items under one id. A first visit's ids stay as they always were.
 */
import { decide, pendingActions } from '../../workflows/lifecycle';
import { Simulator } from '../../workflows/lifecycle/simulation';
import { validateTemplate, type CommandOf } from '../../workflows/model';
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

/** The project with review #1 of its monitor's second visit open, the first visit's done. */
function secondVisit(): Simulator {
  const sim = new Simulator(loopTemplate, { participants: loopParticipants, ...unitProject });
  sim.advance(10 * S);
  sim.must('omar', act('FAQ for the top tickets'));
  sim.must('olga', { type: 'retire', reason: 'steady' });
  sim.must('olga', { type: 'signoff', nodeId: 'reassess', decision: 'recycle' });
  expect(sim.state.nodes.monitor).toMatchObject({ status: 'active', visits: 2 });
  sim.advance(10 * S);
  expect(sim.state.nodes.monitor!.monitor!.open).toMatchObject({ number: 1 });
  return sim;
}

/** Review #1 of each visit done, each with a follow-up. */
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
      ['monitor-review-1-1-v2', 'Train the new support shift'],
    ]);
    expect(sim.state.nodes.monitor!.monitor!.done).toEqual([
      expect.objectContaining({ number: 1, actions: ['monitor-review-1-1-v2'] }),
    ]);
    // Each keeps its own due-date timer.
    const timers = sim.state.deadlines.filter((d) => d.kind === 'condition-due');
    expect(timers.map((d) => d.conditionId).sort()).toEqual([
      'monitor-review-1-1',
      'monitor-review-1-1-v2',
    ]);
    // The owner's inbox lists two items, one id each.
    const items = pendingActions(sim.state, sim.machine.template, 'pat')
      .filter((a) => a.action === 'meet-condition')
      .map((a) => [a.itemId, a.detail]);
    expect(items).toEqual(ids);
  });

  it('completes the very follow-up named, each once', () => {
    const sim = twoVisits();
    sim.must('pat', { type: 'conditionMet', conditionId: 'monitor-review-1-1-v2' });
    expect(sim.state.conditions.map((c) => [c.id, c.status])).toEqual([
      ['monitor-review-1-1', 'open'],
      ['monitor-review-1-1-v2', 'met'],
    ]);
    sim.must('pat', { type: 'conditionMet', conditionId: 'monitor-review-1-1' });
    expect(sim.state.conditions.every((c) => c.status === 'met')).toBe(true);
  });

  it('misses each follow-up by its own due date', () => {
    const sim = twoVisits();
    sim.advance(30 * S);
    expect(sim.state.conditions.map((c) => [c.id, c.status])).toEqual([
      ['monitor-review-1-1', 'missed'],
      ['monitor-review-1-1-v2', 'missed'],
    ]);
    expect(sim.notified('condition-missed')).toHaveLength(2);
  });

  it('in a run begun before the change, names them as that run always has', () => {
    const sim = secondVisit();
    const second = act('Train the new support shift');
    const decision = decide(sim.machine, second, sim.now, { reusedFollowUpIds: true });
    expect(decision.ok && decision.machine.state.conditions.map((c) => c.id)).toEqual([
      'monitor-review-1-1',
      'monitor-review-1-1',
    ]);
  });
});
