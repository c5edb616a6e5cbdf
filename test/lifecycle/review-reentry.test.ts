/**
 * A post-implementation review entered again (its flow loops back through monitoring and a
 * gate that recycles): the ids its visits give out — decisions, follow-up actions and the
 * conditions of its `go` — carry the visit, so none repeats and each is completed by its own.
 * (A monitor entered again: monitor-reentry.test.ts.)
 */
import { Simulator } from '../../workflows/lifecycle/simulation';
import { validateTemplate, type NodeOf, type Template } from '../../workflows/model';
import { pirParticipants, pirTemplate } from '../fixtures/pir-template';
import { unitProject } from '../fixtures/unit-project';

function loopingPir(): Template {
  const t = pirTemplate();
  const pir = t.nodes[0] as NodeOf<'review'>;
  delete pir.criteria;
  delete pir.passScore;
  return {
    ...t,
    nodes: [
      ...t.nodes,
      {
        id: 'again',
        type: 'gate',
        name: 'Review again?',
        signoff: { rules: [{ role: 'ops', min: 1 }] },
      },
    ],
    edges: [
      { from: 'pir', on: 'done', to: 'monitoring' },
      { from: 'monitoring', on: 'done', to: 'again' },
      { from: 'again', on: 'go', to: 'done' },
      { from: 'again', on: 'recycle', to: 'pir' },
      { from: 'again', on: 'kill', to: 'done' },
    ],
  };
}

/** One visit of the review: a decision, an action for support, a go with one condition. */
function visitPir(sim: Simulator) {
  const decision = sim.must('stan', { type: 'reviewDecision', nodeId: 'pir', text: 'Extend' });
  const action = sim.must('olga', {
    type: 'reviewAction',
    nodeId: 'pir',
    text: 'Refresher training',
    due: 'P10D',
    owner: 'support',
  });
  sim.must('stan', {
    type: 'signoff',
    nodeId: 'pir',
    decision: 'go',
    conditions: [{ text: 'Budget for region B', due: 'P20D', owner: 'pm' }],
  });
  sim.must('olga', { type: 'signoff', nodeId: 'pir', decision: 'go' });
  return [decision.id, action.id];
}

it('gives every visit of a review entered again ids of its own', () => {
  const template = loopingPir();
  expect(validateTemplate(template).errors).toEqual([]);
  const sim = new Simulator(template, { participants: pirParticipants, ...unitProject });
  const first = visitPir(sim);
  sim.must('olga', { type: 'retire', reason: 'steady' });
  sim.must('olga', { type: 'signoff', nodeId: 'again', decision: 'recycle' });
  expect(sim.state.nodes.pir).toMatchObject({ status: 'active', visits: 2 });
  const second = visitPir(sim);

  expect([first, second]).toEqual([
    ['pir-1-d1', 'pir-1-a1'],
    ['pir-2-d2', 'pir-2-a2'],
  ]);
  const ids = sim.state.conditions.map((c) => c.id);
  expect(ids).toEqual(['pir-1-a1', 'pir-1-2', 'pir-2-a2', 'pir-2-4']);
  sim.must('sue', { type: 'reviewActionDone', actionId: 'pir-2-a2' });
  sim.must('pat', { type: 'conditionMet', conditionId: 'pir-2-4' });
  expect(sim.state.conditions.map((c) => c.status)).toEqual(['open', 'open', 'met', 'met']);
});
