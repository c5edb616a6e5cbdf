/**
 * The sign-off form as data: which decisions a node allows, the scorecard answers, Conditional
 * Go conditions, live hints (the same rules the workflow enforces, shown before submitting)
 * and the request body. Pure, so the rules are unit-tested without a browser.
 */
import {
  DECISIONS,
  isPositiveDuration,
  type Criterion,
  type Decision,
  type Node,
  type NodeOf,
} from '../../../../workflows/model';

export type SignableNode = NodeOf<'gate'> | NodeOf<'review'> | NodeOf<'hypercare'>;

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

export function isSignable(node: Node): node is SignableNode {
  return node.type === 'gate' || node.type === 'review' || node.type === 'hypercare';
}

/** Decisions a signer may take: a gate's own list (default all four); `go` elsewhere. */
export function allowedDecisions(node: SignableNode): Decision[] {
  return node.type === 'gate' ? [...(node.decisions ?? DECISIONS)] : ['go'];
}

export function criteriaOf(node: SignableNode): Criterion[] {
  return node.type === 'gate' ? (node.criteria ?? []) : [];
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

/** The weighted `should` score (0..1) of the scored criteria, as the workflow computes it. */
export function weightedScore(
  criteria: readonly Criterion[],
  answers: Record<string, boolean | number>,
): number | undefined {
  let total = 0;
  let weights = 0;
  for (const c of criteria) {
    const answer = answers[c.id];
    if (c.kind !== 'should' || typeof answer !== 'number') continue;
    const w = c.weight ?? 1;
    total += (w * answer) / 10;
    weights += w;
  }
  return weights === 0 ? undefined : Math.round((total / weights) * 1000) / 1000;
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
  const criteria = criteriaOf(node);
  if (draft.decision === 'go') {
    for (const c of criteria) {
      if (c.kind === 'must' && draft.criteria[c.id] !== true) {
        hints.push({ field: c.id, message: 'a go needs this asserted met', blocking: false });
      }
    }
    const shoulds = criteria.filter((c) => c.kind === 'should');
    if (node.type === 'gate' && node.passScore !== undefined && shoulds.length > 0) {
      for (const c of shoulds) {
        if (typeof draft.criteria[c.id] !== 'number') {
          hints.push({ field: c.id, message: 'score this criterion (0..10)', blocking: false });
        }
      }
      const score = weightedScore(shoulds, draft.criteria);
      if (score !== undefined && score < node.passScore) {
        hints.push({
          field: 'score',
          message: `weighted score ${score.toFixed(2)} is below the pass score ${node.passScore}`,
          blocking: false,
        });
      }
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
