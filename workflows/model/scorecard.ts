/**
 * A gate's or review's scorecard (SPEC §3 "Gate"): `must` criteria asserted met, `should` criteria scored
 * 0..10 and weighted into a score a `go` must reach. Answered as data: the interpreter refuses
 * a sign-off with the first gap, the designer's sign-off form shows every gap as a hint.
 */
import type { RejectionCode } from './results';
import type { Criterion, Node } from './template';

/** Criterion answers of a sign-off: `must` true/false, `should` 0..10. */
export type Answers = Readonly<Record<string, boolean | number>>;

/** Something a sign-off's answers lack or get wrong, as the interpreter refuses it. */
export interface ScorecardGap {
  code: Extract<
    RejectionCode,
    'unknown_criterion' | 'invalid_input' | 'unmet_criterion' | 'missing_score' | 'score_below_pass'
  >;
  /** The criterion concerned; absent for the score as a whole. */
  criterionId?: string;
  /** Path of the input at fault. */
  path: (string | number)[];
  message: string;
}

export interface Scorecard {
  /** Every `must` criterion, and whether it is asserted met. */
  musts: { id: string; text: string; met: boolean }[];
  /** Weighted score (0..1) of the scored `should` criteria; undefined when none is scored. */
  score?: number;
  passScore?: number;
  /** Answers that are no answer to this node's criteria: refused whatever the decision. */
  invalid: ScorecardGap[];
  /** What a `go` still lacks, in the order the interpreter checks it. */
  missing: ScorecardGap[];
  /** A `go` would pass the scorecard. */
  passes: boolean;
}

/** Nodes whose sign-offs are scored: gates and post-implementation reviews. */
type ScoredNode = Extract<Node, { type: 'gate' | 'review' }>;

function isScored(node: Node): node is ScoredNode {
  return node.type === 'gate' || node.type === 'review';
}

/** The criteria a node is scored by (gates and reviews). */
export function criteriaOf(node: Node): Criterion[] {
  return isScored(node) ? (node.criteria ?? []) : [];
}

/** The weighted score (0..1) of the scored `should` criteria; undefined when none is scored. */
export function weightedScore(
  criteria: readonly Criterion[],
  answers: Answers,
): number | undefined {
  let total = 0;
  let weights = 0;
  for (const c of criteria) {
    const answer = answers[c.id];
    if (c.kind !== 'should' || typeof answer !== 'number') continue;
    const w = c.weight ?? 1;
    total += w * (answer / 10);
    weights += w;
  }
  return weights === 0 ? undefined : Math.round((total / weights) * 1000) / 1000;
}

/** Where `answers` leave `node`'s scorecard. */
export function scorecard(node: Node, answers: Answers = {}): Scorecard {
  const criteria = criteriaOf(node);
  const passScore = isScored(node) ? node.passScore : undefined;
  const score = weightedScore(criteria, answers);
  const invalid = invalidAnswers(node, criteria, answers);
  const missing: ScorecardGap[] = [];
  const musts = criteria
    .filter((c) => c.kind === 'must')
    .map((c) => ({ id: c.id, text: c.text, met: answers[c.id] === true }));
  for (const must of musts.filter((m) => !m.met)) {
    missing.push({
      code: 'unmet_criterion',
      criterionId: must.id,
      path: ['criteria', must.id],
      message: `must-criterion "${must.text}" is not asserted met`,
    });
  }
  const shoulds = criteria.filter((c) => c.kind === 'should');
  if (passScore !== undefined && shoulds.length > 0) {
    for (const c of shoulds.filter((s) => typeof answers[s.id] !== 'number')) {
      missing.push({
        code: 'missing_score',
        criterionId: c.id,
        path: ['criteria', c.id],
        message: `score criterion "${c.text}" (0..10)`,
      });
    }
    if (score !== undefined && score < passScore) {
      missing.push({
        code: 'score_below_pass',
        path: ['criteria'],
        message: `weighted score ${score.toFixed(2)} is below the pass score ${passScore}`,
      });
    }
  }
  return {
    musts,
    ...(score !== undefined && { score }),
    ...(passScore !== undefined && { passScore }),
    invalid,
    missing,
    passes: invalid.length === 0 && missing.length === 0,
  };
}

function invalidAnswers(node: Node, criteria: Criterion[], answers: Answers): ScorecardGap[] {
  const ids = Object.keys(answers);
  if (!isScored(node)) {
    return ids.length === 0
      ? []
      : [
          {
            code: 'unknown_criterion',
            path: ['criteria'],
            message: `"${node.name}" has no criteria`,
          },
        ];
  }
  const gaps: ScorecardGap[] = [];
  for (const [id, answer] of Object.entries(answers)) {
    const criterion = criteria.find((c) => c.id === id);
    const at = { criterionId: id, path: ['criteria', id] };
    if (!criterion) {
      gaps.push({
        code: 'unknown_criterion',
        ...at,
        message: `"${node.name}" has no criterion "${id}"`,
      });
    } else if (criterion.kind === 'must' && typeof answer !== 'boolean') {
      gaps.push({
        code: 'invalid_input',
        ...at,
        message: `criterion "${id}" is a must: answer true or false`,
      });
    } else if (criterion.kind === 'should' && typeof answer !== 'number') {
      gaps.push({ code: 'invalid_input', ...at, message: `criterion "${id}" is scored 0..10` });
    }
  }
  return gaps;
}

/** Answers that pass any scorecard of `node`: every must met, every should scored 10. */
export function fullMarks(node: Node): Record<string, boolean | number> {
  return Object.fromEntries(criteriaOf(node).map((c) => [c.id, c.kind === 'must' ? true : 10]));
}
