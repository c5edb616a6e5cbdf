/**
 * A post-implementation review entered again (its flow loops back through monitoring and a
 * gate that recycles): the ids its visits give out — decisions, follow-up actions and the
 * conditions of its `go` — carry the visit, so none repeats and each is completed by its own.
 * (A monitor entered again: monitor-reentry.test.ts.)
 */
import { decide, type DecideOptions } from '../../workflows/lifecycle';
import { Simulator } from '../../workflows/lifecycle/simulation';
import { LIMITS, validateTemplate, type NodeOf, type Template } from '../../workflows/model';
import { pirLoopParticipants, pirLoopTemplate } from '../fixtures/loop-template';
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

describe('the decisions of a review entered again', () => {
  const CAP = LIMITS.reviewDecisions;
  const decision = (text: string) => ({ type: 'reviewDecision', nodeId: 'pir', text }) as const;

  /** Stan records `count` decisions on the current visit (all must be taken). */
  const decideMany = (sim: Simulator, visit: number, count: number) =>
    Array.from({ length: count }, (_, i) => sim.must('stan', decision(`v${visit} #${i + 1}`)).id);

  /** Signs the review off and recycles into it, as a run with `options` does. */
  function again(sim: Simulator, options: DecideOptions = {}) {
    sim.must('stan', { type: 'signoff', nodeId: 'pir', decision: 'go' });
    sim.must('olga', { type: 'signoff', nodeId: 'pir', decision: 'go' });
    const recycle = { type: 'signoff', nodeId: 'again', decision: 'recycle' } as const;
    const step = decide(sim.machine, { ...recycle, actor: { userId: 'olga' } }, sim.now, options);
    if (!step.ok) throw new Error(step.rejection.message);
    sim.session = { ...sim.session, machine: step.machine };
  }

  const start = () => {
    const template = pirLoopTemplate();
    expect(validateTemplate(template).errors).toEqual([]);
    return new Simulator(template, { participants: pirLoopParticipants, ...unitProject });
  };
  const codeOf = (sim: Simulator, text: string) => {
    const answer = sim.act('stan', decision(text));
    return answer.ok ? 'taken' : answer.rejection.code;
  };

  it('are capped per visit: each visit takes its own up to the cap', () => {
    const sim = start();
    const first = decideMany(sim, 1, CAP);
    expect(codeOf(sim, 'one too many')).toBe('limit_reached');
    again(sim);
    expect(sim.state.nodes.pir!.visits).toBe(2);
    const second = decideMany(sim, 2, CAP);
    expect(codeOf(sim, 'one too many')).toBe('limit_reached');
    again(sim);
    const third = decideMany(sim, 3, CAP);
    expect(codeOf(sim, 'one too many')).toBe('limit_reached');

    // Numbers never repeat; the record keeps this visit's and the newest earlier ones.
    expect([first[0], second[0], third[0], third[CAP - 1]]).toEqual([
      'pir-1-d1',
      `pir-2-d${CAP + 1}`,
      `pir-3-d${2 * CAP + 1}`,
      `pir-3-d${3 * CAP}`,
    ]);
    const kept = sim.state.nodes.pir!.review!.decisions;
    expect(kept.map((d) => d.id)).toEqual([...second, ...third]);
    const all = [...first, ...second, ...third];
    expect(new Set(all).size).toBe(all.length);
    // The audit trail keeps every one.
    const audited = sim.audits.filter((a) => a.action === 'review.decision');
    expect(audited.map((a) => a.detail?.decisionId)).toEqual(all);
  });

  it('in a run begun before patch revisit-counts, are capped over all visits as then', () => {
    const sim = start();
    decideMany(sim, 1, CAP);
    again(sim, { legacyRevisitCounts: true });
    const refused = decide(
      sim.machine,
      { ...decision('late'), actor: { userId: 'stan' } },
      sim.now,
      {
        legacyRevisitCounts: true,
      },
    );
    expect(!refused.ok && refused.rejection.code).toBe('limit_reached');
  });
});
