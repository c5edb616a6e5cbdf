/**
 * The sign-off form as data: which decisions a node allows, the scorecard answers, Conditional
 * Go conditions, live hints (the same rules the workflow enforces, shown before submitting)
 * and the request body. Pure, so the rules are unit-tested without a browser.
 */
import {
  allowedDecisions,
  criteriaOf,
  isPositiveDuration,
  scorecard,
  type Decision,
  type ScorecardGap,
  type SignableNode,
} from '../../../../workflows/model';

export interface ConditionDraft {
  text: string;
  /** ISO 8601 duration, e.g. "P14D". */
  due: string;
  owner: string;
}

export interface SignoffDraft {
  decision: Decision;
  /** The rule role this vote counts for; empty lets the server choose. */
  role: string;
  comment: string;
  /** `must`: met or not; `should`: 0..10, absent until scored. */
  criteria: Record<string, boolean | number>;
  conditions: ConditionDraft[];
}

export function initialDraft(node: SignableNode, roles: readonly string[]): SignoffDraft {
  const criteria: Record<string, boolean | number> = {};
  for (const c of criteriaOf(node)) if (c.kind === 'must') criteria[c.id] = false;
  return {
    decision: allowedDecisions(node)[0] ?? 'go',
    role: roles.length === 1 ? (roles[0] ?? '') : '',
    comment: '',
    criteria,
    conditions: [],
  };
}

export interface Hint {
  /** Where the hint belongs: a criterion id, `conditions.<i>.<field>`, `decision`. */
  field: string;
  message: string;
  /** Blocking hints stop the form from submitting (malformed input); others only warn. */
  blocking: boolean;
}

/** What the workflow would refuse or the API would not parse, said before submitting. */
export function signoffHints(node: SignableNode, draft: SignoffDraft): Hint[] {
  const hints: Hint[] = [];
  if (draft.decision === 'go') {
    const card = scorecard(node, draft.criteria);
    for (const gap of card.missing) {
      const message =
        gap.code === 'score_below_pass' && card.score !== undefined && card.passScore !== undefined
          ? `weighted score ${scoreText(card.score)} is below the pass score ${scoreText(card.passScore)}`
          : hintOf(gap);
      hints.push({ field: gap.criterionId ?? 'score', message, blocking: false });
    }
  }
  draft.conditions.forEach((c, i) => {
    if (c.text.trim() === '') {
      hints.push({
        field: `conditions.${i}.text`,
        message: 'describe the condition',
        blocking: true,
      });
    }
    if (!isPositiveDuration(c.due.trim())) {
      hints.push({
        field: `conditions.${i}.due`,
        message: 'an ISO 8601 duration such as P14D or PT12H',
        blocking: true,
      });
    }
    if (c.owner === '') {
      hints.push({
        field: `conditions.${i}.owner`,
        message: 'choose an owner role',
        blocking: true,
      });
    }
  });
  return hints;
}

/**
 * A weighted score or pass score (0..1) as the forms show it: two decimals, or every decimal it
 * has where two would round it onto another value (0.667 below a pass score of 0.67 is not
 * "0.67 below 0.67").
 */
export function scoreText(score: number): string {
  return Number(score.toFixed(2)) === score ? score.toFixed(2) : String(score);
}

/** A gap of the scorecard as the form says it beside the field (the field names the criterion). */
function hintOf(gap: ScorecardGap): string {
  switch (gap.code) {
    case 'unmet_criterion':
      return 'a go needs this asserted met';
    case 'missing_score':
      return 'score this criterion (0..10)';
    default:
      return gap.message;
  }
}

/** The body of `POST /api/projects/:id/nodes/:nodeId/signoffs`. */
export function signoffBody(node: SignableNode, draft: SignoffDraft, idempotencyKey?: string) {
  const known = new Set(criteriaOf(node).map((c) => c.id));
  const criteria = Object.fromEntries(
    Object.entries(draft.criteria).filter(([id]) => known.has(id)),
  );
  const comment = draft.comment.trim();
  const conditions = draft.decision === 'go' ? draft.conditions : [];
  return {
    decision: draft.decision,
    ...(draft.role !== '' && { role: draft.role }),
    ...(comment !== '' && { comment }),
    ...(Object.keys(criteria).length > 0 && { criteria }),
    ...(conditions.length > 0 && {
      conditions: conditions.map((c) => ({
        text: c.text.trim(),
        due: c.due.trim(),
        owner: c.owner,
      })),
    }),
    ...(idempotencyKey !== undefined && { idempotencyKey }),
  };
}
