/** The scorecard as data: what a go lacks, in the order the interpreter refuses it. */
import fc from 'fast-check';
import { Simulator } from '../../workflows/lifecycle/simulation';
import {
  fullMarks,
  scorecard,
  weightedScore,
  type Criterion,
  type NodeOf,
} from '../../workflows/model';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { unitProject } from '../fixtures/unit-project';

const approval = miniTemplate.nodes.find((n) => n.id === 'approval') as NodeOf<'gate'>;

describe('scorecard', () => {
  it('lists unmet musts, unscored shoulds and a score below the pass score', () => {
    const card = scorecard(approval, { training: 2 });
    expect(card.musts).toEqual([{ id: 'support-ready', text: 'Support model agreed', met: false }]);
    expect(card.score).toBe(0.2);
    expect(card.missing.map((g) => [g.code, g.criterionId])).toEqual([
      ['unmet_criterion', 'support-ready'],
      ['missing_score', 'comms'],
      ['score_below_pass', undefined],
    ]);
    expect(card.passes).toBe(false);
    expect(scorecard(approval, fullMarks(approval))).toMatchObject({
      score: 1,
      passScore: 0.6,
      invalid: [],
      missing: [],
      passes: true,
    });
  });

  it('finds answers that answer nothing: unknown criteria and answers of the wrong kind', () => {
    const card = scorecard(approval, { ghost: true, 'support-ready': 3, training: true });
    expect(card.invalid.map((g) => [g.code, g.path])).toEqual([
      ['unknown_criterion', ['criteria', 'ghost']],
      ['invalid_input', ['criteria', 'support-ready']],
      ['invalid_input', ['criteria', 'training']],
    ]);
    const review = miniTemplate.nodes.find((n) => n.type === 'review')!;
    expect(scorecard(review, { x: true }).invalid).toHaveLength(1);
    expect(scorecard(review).passes).toBe(true);
  });

  it('is what the interpreter refuses a go with: its first gap', () => {
    const sim = new Simulator(miniTemplate, { participants: miniParticipants, ...unitProject });
    const pm = miniParticipants.pm![0]!;
    sim.must(pm, { type: 'deliverable', nodeId: 'plan', deliverableId: 'runbook', text: 'r' });
    sim.must(pm, { type: 'complete', nodeId: 'plan' });
    sim.must(pm, { type: 'deliverable', nodeId: 'approval', deliverableId: 'charter', text: 'c' });
    const tries: Record<string, boolean | number>[] = [
      {},
      { 'support-ready': true },
      { 'support-ready': true, training: 1, comms: 2 },
    ];
    for (const answers of tries) {
      const decision = sim.act(pm, {
        type: 'signoff',
        nodeId: 'approval',
        decision: 'go',
        criteria: answers,
      });
      const gap = scorecard(approval, answers).missing[0]!;
      expect(decision.ok ? undefined : decision.rejection).toEqual({
        code: gap.code,
        message: gap.message,
        path: gap.path,
      });
    }
  });

  it('property: passes exactly when nothing is invalid or missing; the score is 0..1', () => {
    const criterion = fc.record({
      kind: fc.constantFrom('must' as const, 'should' as const),
      weight: fc.option(fc.double({ min: 0.1, max: 10, noNaN: true }), { nil: undefined }),
    });
    const answer = fc.oneof(fc.boolean(), fc.integer({ min: 0, max: 10 }));
    fc.assert(
      fc.property(
        fc.array(criterion, { maxLength: 6 }),
        fc.array(fc.option(answer, { nil: undefined }), { minLength: 6, maxLength: 6 }),
        fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
        (kinds, answers, passScore) => {
          const criteria: Criterion[] = kinds.map((k, i) => ({
            id: `c-${i}`,
            text: `C ${i}`,
            kind: k.kind,
            ...(k.weight !== undefined && { weight: k.weight }),
          }));
          const { passScore: _fixed, ...base } = approval;
          const gate = { ...base, criteria, ...(passScore !== undefined && { passScore }) };
          const given = Object.fromEntries(
            answers.flatMap((a, i) =>
              a === undefined || i >= criteria.length ? [] : [[`c-${i}`, a]],
            ),
          );
          const card = scorecard(gate, given);
          expect(card.passes).toBe(card.invalid.length === 0 && card.missing.length === 0);
          const score = weightedScore(criteria, given);
          expect(card.score).toBe(score);
          if (score !== undefined) expect(score >= 0 && score <= 1).toBe(true);
          const order = ['unmet_criterion', 'missing_score', 'score_below_pass'];
          const codes = card.missing.map((g) => order.indexOf(g.code));
          expect(codes).toEqual([...codes].sort((a, b) => a - b));
          expect(scorecard(gate, fullMarks(gate)).passes).toBe(true);
        },
      ),
    );
  });
});
