/**
 * Sign-offs on gates, post-implementation reviews and hypercare exits (SPEC §3 "Gate"):
 * who may sign, what a `go` needs, when the quorum decides, Conditional Go, hold and resume.
 */
import { awaitsMetricsAgreement } from '../model/project-metrics';
import { readinessGaps } from '../model/readiness';
import { scorecard } from '../model/scorecard';
import { allowedDecisions, quorumReached, ruleTallies, signerRoles } from '../model/signers';
import type { CommandOf, SignableNode, Vote } from '../model';
import { type Step, refuse } from './context';
import { DECISIONS_KEPT, enter, follow } from './navigation';
import { blockingIssues } from './hypercare';
import { checkConditions, takeConditions } from './conditions';
import { requireDeliverables } from './stage';

type SignoffInput = CommandOf<'signoff'>;

/**
 * A sign-off. `legacy`: an Update recorded before conditions were tracked on every `go`: such
 * a sign-off of a review or hypercare exit dropped its conditions, and still does on replay.
 */
export function signoff(step: Step, cmd: SignoffInput, legacy = false): string {
  const node = step.node(cmd.nodeId);
  if (node.type !== 'gate' && node.type !== 'review' && node.type !== 'hypercare') {
    refuse('not_active', `"${node.name}" is a ${node.type}, not something to sign off`, ['nodeId']);
  }
  const rec = step.record(node.id);
  if (step.state.status === 'on_hold') refuse('on_hold', 'the project is on hold', ['nodeId']);
  if (rec.status !== 'active' || !step.state.current.includes(node.id)) {
    refuse('not_active', `"${node.name}" is not open for sign-off`, ['nodeId']);
  }

  // A delegate votes for the participant (whose roles count, once); a participant who is a
  // delegate too signs for themselves with their own roles.
  const delegate = cmd.onBehalfOf !== undefined && cmd.onBehalfOf !== cmd.actor.userId;
  const userId = delegate ? cmd.onBehalfOf! : cmd.actor.userId;
  const role = pickRole(step, node, userId, cmd.role, delegate);
  if (rec.votes.some((v) => v.userId === userId)) {
    refuse(
      'already_signed',
      delegate
        ? `${userId} already signed "${node.name}" in this round (themselves or through a delegate)`
        : `you already signed "${node.name}" in this round`,
    );
  }
  const allowed = allowedDecisions(node);
  if (!allowed.includes(cmd.decision)) {
    refuse(
      'decision_not_allowed',
      `"${cmd.decision}" is not a decision "${node.name}" allows (${allowed.join(', ')})`,
      ['decision'],
    );
  }
  const conditions = legacy && node.type !== 'gate' ? undefined : cmd.conditions;
  if (conditions?.length && cmd.decision !== 'go') {
    refuse('conditions_not_allowed', 'only a go sign-off may carry conditions', ['conditions']);
  }
  conditions?.forEach((c, i) => {
    if (!step.template.roles.some((r) => r.key === c.owner)) {
      refuse('unknown_role', `no role "${c.owner}" in this template`, ['conditions', i, 'owner']);
    }
  });
  if (!legacy && conditions?.length) checkConditions(step, conditions);

  const vote: Vote = {
    userId,
    ...(delegate && { by: cmd.actor.userId }),
    role,
    decision: cmd.decision,
    at: step.now,
    ...(cmd.comment !== undefined && { commentRef: step.storeText(cmd.comment) }),
    ...(cmd.criteria !== undefined && { criteria: cmd.criteria }),
    ...(conditions?.length && { conditions }),
  };
  const card = scorecard(node, cmd.criteria);
  const gap = cmd.decision === 'go' ? [...card.invalid, ...card.missing][0] : card.invalid[0];
  if (gap) refuse(gap.code, gap.message, gap.path);
  if (card.score !== undefined) vote.score = card.score;
  if (node.type === 'gate' && cmd.decision === 'go') requireDeliverables(step, node);
  if (cmd.decision === 'go' && awaitsMetricsAgreement(node, step.state)) {
    refuse(
      'metrics_not_agreed',
      `"${node.name}" needs operations to agree the project's metrics as they stand first`,
      ['decision'],
    );
  }
  const unready = node.type === 'gate' && cmd.decision === 'go' ? readinessGaps(node, rec) : [];
  if (unready.length > 0) {
    refuse(
      'not_ready',
      `"${node.name}" is not ready for a go: ${unready.map((g) => g.message).join('; ')}`,
      ['decision'],
      unready.map((g) => ({ path: ['decision'], code: 'not_ready', message: g.message })),
    );
  }
  if (node.type === 'hypercare' && rec.hypercare?.phase === 'running') {
    const blocking = blockingIssues(step, node);
    if (blocking.length > 0) {
      refuse(
        'blocking_issues_open',
        `hypercare can end early only with no blocking issue open (${blocking.map((i) => i.title).join('; ')})`,
      );
    }
  }

  rec.votes.push(vote);
  step.audit('signoff', {
    nodeId: node.id,
    ...(cmd.comment !== undefined && { reason: cmd.comment }),
    detail: {
      decision: cmd.decision,
      role,
      visit: rec.visits,
      ...(delegate && { onBehalfOf: userId }),
      ...(vote.score !== undefined && { score: vote.score }),
      ...(cmd.criteria !== undefined && { criteria: cmd.criteria }),
      ...(conditions?.length && { conditions }),
    },
  });

  if (cmd.decision === 'go') {
    if (quorumReached(node, rec.votes)) pass(step, node);
  } else if (cmd.decision === 'hold') {
    hold(step, node);
  } else {
    step.audit('gate.decided', {
      nodeId: node.id,
      detail: { outcome: cmd.decision, visit: rec.visits },
    });
    follow(step, node.id, cmd.decision);
  }
  return node.id;
}

/** The rule role this vote counts for: the requested one, else the first still short of votes. */
function pickRole(
  step: Step,
  node: SignableNode,
  userId: string,
  requested: string | undefined,
  delegate: boolean,
): string {
  const held = step.rolesOf(userId);
  const eligible = signerRoles(node).filter((r) => held.includes(r));
  if (eligible.length === 0) {
    refuse(
      'not_signer',
      `${delegate ? `${userId} holds` : 'you hold'} none of the roles that sign "${node.name}" (${signerRoles(
        node,
      )
        .map((r) => step.roleName(r))
        .join(', ')})`,
      delegate ? ['onBehalfOf'] : undefined,
    );
  }
  if (requested !== undefined) {
    if (!eligible.includes(requested)) {
      const who = delegate ? `${userId} does` : 'you do';
      refuse('not_signer', `${who} not sign "${node.name}" as "${requested}"`, ['role']);
    }
    return requested;
  }
  const short = ruleTallies(node, step.record(node.id).votes).find(
    (tally) => eligible.includes(tally.role) && !tally.met,
  );
  return short?.role ?? eligible[0]!;
}

function pass(step: Step, node: SignableNode): void {
  const rec = step.record(node.id);
  takeConditions(step, node);
  if (node.type === 'gate') {
    step.audit('gate.decided', { nodeId: node.id, detail: { outcome: 'go', visit: rec.visits } });
    step.notify(
      'celebration',
      { everyone: true, pmo: true },
      `gate "${node.name}" passed`,
      `Gate "${node.name}" passed with ${rec.votes.length} sign-off(s). Well done, everyone.`,
      node.id,
    );
    follow(step, node.id, 'go');
  } else {
    step.audit(node.type === 'review' ? 'review.accepted' : 'hypercare.exited', {
      nodeId: node.id,
    });
    if (node.type === 'hypercare') {
      step.notify(
        'celebration',
        { everyone: true, pmo: true },
        `hypercare "${node.name}" accepted`,
        `Operations accepted the handover; hypercare "${node.name}" is over.`,
        node.id,
      );
    }
    follow(step, node.id, 'done');
  }
}

function hold(step: Step, node: SignableNode): void {
  const rec = step.record(node.id);
  rec.status = 'on_hold';
  rec.decisions.push({ visit: rec.visits, outcome: 'hold', at: step.now });
  rec.decisions.splice(0, Math.max(0, rec.decisions.length - DECISIONS_KEPT));
  step.state.status = 'on_hold';
  // Reminders about a gate nobody may sign would be noise; resume starts a fresh SLA.
  step.cancelDeadlines((d) => d.nodeId === node.id && d.kind.startsWith('sla-'));
  step.audit('project.on_hold', { nodeId: node.id });
  step.notify(
    'action-required',
    { roles: signerRoles(node), pmo: true },
    `"${node.name}" is on hold`,
    `"${node.name}" was put on hold. A signer or the PMO can resume it for a fresh vote.`,
    node.id,
  );
}

/** `resume`: reopens the held gate for a fresh vote (an eligible signer or the PMO). */
export function resume(step: Step, userId: string, pmo: boolean, reason: string): string {
  if (step.state.status !== 'on_hold') refuse('not_on_hold', 'the project is not on hold');
  const held = step.state.current.find((id) => step.peek(id)?.status === 'on_hold');
  if (held === undefined) refuse('not_on_hold', 'no node is on hold');
  const node = step.node(held);
  const mayResume = pmo || signerRoles(node).some((r) => step.rolesOf(userId).includes(r));
  if (!mayResume) refuse('not_allowed', `only a signer of "${node.name}" or the PMO may resume it`);
  step.state.status = 'active';
  step.audit('project.resumed', { nodeId: held, reason });
  step.state.current = step.state.current.filter((id) => id !== held);
  enter(step, held);
  return held;
}
