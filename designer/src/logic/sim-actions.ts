/**
 * The actions a simulated project offers right now: what the interpreter's `nextActions` says
 * each virtual participant (and the PMO) can do, as buttons (submit a deliverable, complete a
 * stage, sign with each allowed decision, raise/resolve an issue, record a KPI, post and answer
 * feedback, set delivery measures, record the cost, retire…; hypercare's, a review's,
 * feedback's and delivery's are in sim-hypercare.ts, sim-review.ts, sim-feedback.ts and
 * sim-delivery.ts). Each action is a list of commands for the interpreter, so
 * the simulation refuses exactly what the workflow would.
 */
import { nextActions, type NextAction, type NextActionKind } from '../../../workflows/lifecycle';
import {
  awaitsMetricsAgreement,
  criteriaOf,
  fullMarks,
  readinessGaps,
  readinessItemInput,
  ruleTallies,
  signerRoles,
  type Decision,
  type Node as TemplateNode,
} from '../../../workflows/model';
import { SIM_PMO, type SimCommand, type SimSession, type SimStep } from './simulation';
import { deliveryActions, type SimDeliveryInput } from './sim-delivery';
import { feedbackActions, type SimFeedbackInput } from './sim-feedback';
import { hypercareActions } from './sim-hypercare';
import { followUpDoneActions, reviewActions } from './sim-review';

export type SimActionKind =
  | 'deliver'
  | 'complete'
  | 'signoff'
  | 'resume'
  | 'raise-issue'
  | 'acknowledge-issue'
  | 'respond-issue'
  | 'resolve-issue'
  | 'extend'
  | 'record-kpi'
  | 'retire'
  | 'condition-met'
  | 'agree-metrics'
  | 'record-readiness'
  | 'kpi-review'
  | 'review-decision'
  | 'review-action'
  | 'review-action-done'
  | 'post-feedback'
  | 'acknowledge-feedback'
  | 'act-on-feedback'
  | 'decline-feedback'
  | 'set-delivery'
  | 'record-cost'
  | 'cancel';

export interface SimAction {
  /** Stable within a state: used as the button's test id (`sim-action-<id>`). */
  id: string;
  kind: SimActionKind;
  label: string;
  nodeId?: string;
  /** A deliverable the node requires (one of the "deliver" actions). */
  required?: boolean;
  steps: SimStep[];
}

/** Form values the UI lets the user set before acting. */
export interface SimInputs {
  /** Criterion answers per gate; full marks (every must met, every should 10) when absent. */
  scores?: Record<string, Record<string, boolean | number>>;
  issue?: { severity: number; title: string };
  kpi?: { metric: string; value: number };
  /** A review's decision and follow-up action (defaults otherwise). */
  reviewDecision?: string;
  followUp?: { text: string; due: string; owner: string };
  /** Feedback to post (by whom, what) and the response it is closed with. */
  feedback?: SimFeedbackInput;
  /** Delivery measures to commit to and the actual cost to record. */
  delivery?: SimDeliveryInput;
}

/** Who takes an action: the first user (of the preferred roles, then anyone) offered it. */
export interface Offer {
  actor: string;
  pmo: boolean;
  action: NextAction;
}

export function availableActions(session: SimSession, inputs: SimInputs = {}): SimAction[] {
  const { state, template } = session.machine;
  if (state.status !== 'active' && state.status !== 'on_hold') return [];
  const people = state.participants;
  const users = [...new Set(Object.values(people).flat())];
  const offers = new Map<string, NextAction[]>(
    users.map((user) => [user, nextActions(state, template, user)]),
  );
  const pmoOffers = nextActions(state, template, SIM_PMO, { pmo: true });
  /** The first offer of an action `match` accepts: preferred roles' users, anyone, the PMO. */
  const offer = (
    match: (action: NextAction) => boolean,
    prefer: readonly (string | undefined)[] = [],
  ): Offer | undefined => {
    const preferred = prefer.flatMap((role) => (role === undefined ? [] : (people[role] ?? [])));
    for (const actor of [...preferred, ...users]) {
      const action = offers.get(actor)?.find(match);
      if (action) return { actor, pmo: false, action };
    }
    const action = pmoOffers.find(match);
    return action && { actor: SIM_PMO, pmo: true, action };
  };
  const actions: SimAction[] = [];

  for (const id of state.current) {
    const node = template.nodes.find((n) => n.id === id);
    if (!node) continue;
    const on = (kind: NextActionKind, itemId?: string) => (a: NextAction) =>
      a.action === kind && a.nodeId === id && (itemId === undefined || a.itemId === itemId);
    const resume = offer(on('resume'), signerRoles(node));
    if (resume) {
      actions.push({
        id: 'resume',
        kind: 'resume',
        label: `Resume "${node.name}" (fresh vote)`,
        nodeId: id,
        steps: [stepOf(resume, { type: 'resume', reason: 'Simulated resume' })],
      });
    }
    actions.push(
      ...deliverActions(node, (itemId) => offer(on('submit-deliverable', itemId), [node.owner])),
    );
    const complete = offer(on('complete-stage'), [node.owner]);
    if (complete) {
      actions.push({
        id: `complete-${id}`,
        kind: 'complete',
        label: `Complete "${node.name}"`,
        nodeId: id,
        steps: [stepOf(complete, { type: 'complete', nodeId: id })],
      });
    }
    if (node.type === 'gate') {
      // Every open item of the readiness checklist, each by whoever it waits for.
      const steps = readinessGaps(node, state.nodes[id]).flatMap((gap) => {
        const o = offer(on('record-readiness', gap.path.join(':')), [node.owner]);
        const input = o && readinessItemInput(node, o.action.itemId);
        return o ? [stepOf(o, { type: 'recordReadiness', nodeId: id, ...input })] : [];
      });
      if (steps.length > 0) {
        const label = `Record "${node.name}" ready (${steps.length} open item${steps.length === 1 ? '' : 's'})`;
        actions.push({ id: `ready-${id}`, kind: 'record-readiness', label, nodeId: id, steps });
      }
    }
    actions.push(...signoffActions(session, node, offers, inputs));
    if (node.type === 'hypercare') {
      const ops = template.roles.find((r) => r.operations)?.key;
      actions.push(
        ...hypercareActions(session, node, inputs, (kind, itemId) =>
          offer(on(kind, itemId), kind === 'extend-hypercare' ? signerRoles(node) : [ops]),
        ),
      );
    }
    const review =
      node.type === 'monitor' && node.reviewWithin !== undefined
        ? offer(on('kpi-review'), node.reviewers)
        : undefined;
    if (review) {
      const kpi = inputs.kpi;
      const values = kpi && { values: { [kpi.metric]: kpi.value } };
      actions.push({
        id: `kpi-review-${id}`,
        kind: 'kpi-review',
        label: `Do KPI review #${review.action.itemId ?? ''} (keep course${kpi ? `, ${kpi.metric} = ${kpi.value}` : ''})`,
        nodeId: id,
        steps: [stepOf(review, { type: 'kpiReview', nodeId: id, decision: 'keep', ...values })],
      });
    }
    actions.push(...reviewActions(node, inputs, (kind, prefer) => offer(on(kind), prefer)));
    const retire = node.type === 'monitor' ? offer(on('retire'), node.reviewers) : undefined;
    if (retire) {
      actions.push({
        id: 'retire',
        kind: 'retire',
        label: `Retire (end "${node.name}")`,
        nodeId: id,
        steps: [stepOf(retire, { type: 'retire', reason: 'Simulated retirement' })],
      });
    }
  }

  const kpi = inputs.kpi;
  const recorder = offer((a) => a.action === 'record-kpi');
  if (kpi && recorder && (template.metrics ?? []).some((m) => m.key === kpi.metric)) {
    actions.push({
      id: 'record-kpi',
      kind: 'record-kpi',
      label: `Record ${kpi.metric} = ${kpi.value}`,
      steps: [stepOf(recorder, { type: 'recordKpi', metric: kpi.metric, value: kpi.value })],
    });
  }
  const agree = offer((a) => a.action === 'agree-metrics');
  if (agree) {
    actions.push({
      id: 'agree-metrics',
      kind: 'agree-metrics',
      label: 'Operations agree the project’s metrics',
      ...(agree.action.nodeId !== undefined && { nodeId: agree.action.nodeId }),
      steps: [stepOf(agree, { type: 'agreeMetrics' })],
    });
  }
  for (const c of state.conditions) {
    const meet = offer((a) => a.action === 'meet-condition' && a.itemId === c.id, [c.owner]);
    if (!meet) continue;
    actions.push({
      id: `condition-met-${c.id}`,
      kind: 'condition-met',
      label: `Mark condition met: ${c.text}`,
      nodeId: c.nodeId,
      steps: [stepOf(meet, { type: 'conditionMet', conditionId: c.id })],
    });
  }
  actions.push(...followUpDoneActions(session, offer));
  actions.push(...feedbackActions(session, inputs, offer));
  actions.push(...deliveryActions(session, inputs, offer));
  const cancel = pmoOffers.find((a) => a.action === 'cancel');
  if (cancel) {
    actions.push({
      id: 'cancel',
      kind: 'cancel',
      label: 'Cancel project (PMO)',
      steps: [
        stepOf(
          { actor: SIM_PMO, pmo: true, action: cancel },
          {
            type: 'cancel',
            reason: 'Simulated cancellation',
          },
        ),
      ],
    });
  }
  return actions;
}

export function stepOf(offer: Offer, command: SimCommand): SimStep {
  return { actor: offer.actor, ...(offer.pmo && { pmo: true }), command };
}

/** Each missing deliverable, and all required ones at once when there are several. */
function deliverActions(
  node: TemplateNode,
  offer: (itemId: string) => Offer | undefined,
): SimAction[] {
  if (node.type !== 'stage' && node.type !== 'gate') return [];
  const deliver = (o: Offer): SimStep =>
    stepOf(o, {
      type: 'deliverable',
      nodeId: node.id,
      deliverableId: o.action.itemId ?? '',
      text: 'Simulated submission',
    });
  const each: SimAction[] = [];
  for (const d of node.deliverables ?? []) {
    const o = offer(d.id);
    if (!o) continue;
    each.push({
      id: `deliver-${node.id}-${d.id}`,
      kind: 'deliver',
      label: `Submit "${d.name}"${d.required ? '' : ' (optional)'}`,
      nodeId: node.id,
      required: d.required,
      steps: [deliver(o)],
    });
  }
  const required = each.filter((a) => a.required);
  if (required.length <= 1) return each;
  const all: SimAction = {
    id: `deliver-all-${node.id}`,
    kind: 'deliver',
    label: `Submit all ${required.length} required deliverables`,
    nodeId: node.id,
    steps: required.flatMap((a) => a.steps),
  };
  return [all, ...each];
}

/** Sign-off buttons: each eligible signer × each allowed decision, plus "quorum signs go". */
function signoffActions(
  session: SimSession,
  node: TemplateNode,
  offers: ReadonlyMap<string, NextAction[]>,
  inputs: SimInputs,
): SimAction[] {
  const { state } = session.machine;
  const criteria = inputs.scores?.[node.id] ?? fullMarks(node);
  const hasCriteria = criteriaOf(node).length > 0;
  const verb = node.type === 'hypercare' ? 'accept exit' : 'go';
  const step = (user: string, role: string, decision: Decision): SimStep => ({
    actor: user,
    command: {
      type: 'signoff',
      nodeId: node.id,
      decision,
      role,
      ...(hasCriteria && decision === 'go' && { criteria }),
    },
  });
  const actions: SimAction[] = [];
  const quorum: SimStep[] = [];
  for (const tally of ruleTallies(node, state.nodes[node.id]?.votes ?? [])) {
    const signers = (state.participants[tally.role] ?? []).flatMap((user) => {
      const sign = offers
        .get(user)
        ?.find(
          (a) =>
            (a.action === 'signoff' || a.action === 'accept-hypercare') &&
            a.nodeId === node.id &&
            a.roles.includes(tally.role),
        );
      return sign ? [{ user, decisions: sign.decisions ?? [] }] : [];
    });
    signers
      .slice(0, Math.max(0, tally.min - tally.go))
      .forEach(({ user }) => quorum.push(step(user, tally.role, 'go')));
    for (const { user, decisions } of signers) {
      for (const decision of decisions) {
        actions.push({
          id: `signoff-${node.id}-${decision}-${user}`,
          kind: 'signoff',
          label: `${user}: ${decision === 'go' ? verb : decision}`,
          nodeId: node.id,
          steps: [step(user, tally.role, decision)],
        });
      }
    }
  }
  if (quorum.length > 0) {
    actions.unshift({
      id: `signoff-all-${node.id}`,
      kind: 'signoff',
      label: `All remaining signers: ${verb}`,
      nodeId: node.id,
      steps: quorum,
    });
  }
  return actions;
}

/**
 * The next step along the happy path (submit, complete, sign go, accept, retire), or
 * undefined when only time can move the project on. Drives "step" and the end-to-end test.
 */
export function happyPathAction(
  session: SimSession,
  inputs: SimInputs = {},
): SimAction | undefined {
  const actions = availableActions(session, inputs);
  const node = session.machine.template.nodes.find(
    (n) => n.id === session.machine.state.current[0],
  );
  const pick = (id: string) => actions.find((a) => a.id === id);
  if (!node) return undefined;
  const requiredMissing = actions.filter(
    (a) => a.kind === 'deliver' && a.nodeId === node.id && a.required === true,
  );
  return (
    pick('resume') ??
    pick(`deliver-all-${node.id}`) ??
    requiredMissing[0] ??
    pick(`complete-${node.id}`) ??
    (awaitsMetricsAgreement(node, session.machine.state) ? pick('agree-metrics') : undefined) ??
    pick(`ready-${node.id}`) ??
    pick(`signoff-all-${node.id}`) ??
    (node.type === 'monitor' ? pick('retire') : undefined)
  );
}
