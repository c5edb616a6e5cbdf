/**
 * The actions a simulated project offers right now, derived from its state and template: one
 * per thing a participant could do (submit a deliverable, complete a stage, sign with each
 * allowed decision, raise/resolve an issue, record a KPI, retire…). Each action is a list of
 * commands for the interpreter, so the simulation refuses exactly what the workflow would.
 */
import type { Decision, Node as TemplateNode, Rule } from '../../../workflows/model';
import { SIM_PMO, type SimSession, type SimStep } from './simulation';

export type SimActionKind =
  | 'deliver'
  | 'complete'
  | 'signoff'
  | 'resume'
  | 'raise-issue'
  | 'resolve-issue'
  | 'extend'
  | 'record-kpi'
  | 'retire'
  | 'condition-met'
  | 'cancel';

export interface SimAction {
  /** Stable within a state: used as the button's test id (`sim-action-<id>`). */
  id: string;
  kind: SimActionKind;
  label: string;
  nodeId?: string;
  steps: SimStep[];
}

/** Form values the UI lets the user set before acting. */
export interface SimInputs {
  /** Criterion answers per gate; full marks (every must met, every should 10) when absent. */
  scores?: Record<string, Record<string, boolean | number>>;
  issue?: { severity: number; title: string };
  kpi?: { metric: string; value: number };
}

/** Every must criterion met and every should criterion scored 10. */
export function fullMarks(node: TemplateNode): Record<string, boolean | number> {
  if (node.type !== 'gate') return {};
  return Object.fromEntries(
    (node.criteria ?? []).map((c) => [c.id, c.kind === 'must' ? true : 10]),
  );
}

function rulesOf(node: TemplateNode): Rule[] {
  if (node.type === 'gate' || node.type === 'review') return node.signoff.rules;
  if (node.type === 'hypercare') return node.exit.rules;
  return [];
}

export function availableActions(session: SimSession, inputs: SimInputs = {}): SimAction[] {
  const { state } = session.machine;
  const template = session.machine.template;
  if (state.status !== 'active' && state.status !== 'on_hold') return [];
  const people = state.participants;
  const first = (role: string | undefined) => (role && people[role]?.[0]) || undefined;
  const anyone = Object.values(people).flat()[0] ?? SIM_PMO;
  const actions: SimAction[] = [];

  for (const id of state.current) {
    const node = template.nodes.find((n) => n.id === id);
    const rec = state.nodes[id];
    if (!node || !rec) continue;
    if (rec.status === 'on_hold') {
      const signer = first(rulesOf(node)[0]?.role);
      actions.push({
        id: 'resume',
        kind: 'resume',
        label: `Resume "${node.name}" (fresh vote)`,
        nodeId: id,
        steps: [
          {
            actor: signer ?? SIM_PMO,
            pmo: signer === undefined,
            command: { type: 'resume', reason: 'Simulated resume' },
          },
        ],
      });
      continue;
    }
    const owner = first(node.owner) ?? anyone;
    if (node.type === 'stage' || node.type === 'gate') {
      const missing = (node.deliverables ?? []).filter((d) => !rec.deliverables[d.id]);
      const deliver = (d: { id: string }): SimStep => ({
        actor: owner,
        command: {
          type: 'deliverable',
          nodeId: id,
          deliverableId: d.id,
          text: 'Simulated submission',
        },
      });
      const required = missing.filter((d) => d.required);
      if (required.length > 1) {
        actions.push({
          id: `deliver-all-${id}`,
          kind: 'deliver',
          label: `Submit all ${required.length} required deliverables`,
          nodeId: id,
          steps: required.map(deliver),
        });
      }
      for (const d of missing) {
        actions.push({
          id: `deliver-${id}-${d.id}`,
          kind: 'deliver',
          label: `Submit "${d.name}"${d.required ? '' : ' (optional)'}`,
          nodeId: id,
          steps: [deliver(d)],
        });
      }
    }
    if (node.type === 'stage') {
      actions.push({
        id: `complete-${id}`,
        kind: 'complete',
        label: `Complete "${node.name}"`,
        nodeId: id,
        steps: [{ actor: owner, command: { type: 'complete', nodeId: id } }],
      });
    }
    actions.push(...signoffActions(session, node, inputs));
    if (node.type === 'hypercare') actions.push(...hypercareActions(session, node, inputs));
    if (node.type === 'monitor') {
      const reviewer = first(node.reviewers[0]) ?? anyone;
      actions.push({
        id: 'retire',
        kind: 'retire',
        label: `Retire (end "${node.name}")`,
        nodeId: id,
        steps: [{ actor: reviewer, command: { type: 'retire', reason: 'Simulated retirement' } }],
      });
    }
  }

  const kpi = inputs.kpi;
  if (kpi && (template.metrics ?? []).some((m) => m.key === kpi.metric)) {
    actions.push({
      id: 'record-kpi',
      kind: 'record-kpi',
      label: `Record ${kpi.metric} = ${kpi.value}`,
      steps: [
        { actor: anyone, command: { type: 'recordKpi', metric: kpi.metric, value: kpi.value } },
      ],
    });
  }
  for (const c of state.conditions.filter((c) => c.status !== 'met')) {
    actions.push({
      id: `condition-met-${c.id}`,
      kind: 'condition-met',
      label: `Mark condition met: ${c.text}`,
      nodeId: c.nodeId,
      steps: [
        { actor: first(c.owner) ?? SIM_PMO, command: { type: 'conditionMet', conditionId: c.id } },
      ],
    });
  }
  actions.push({
    id: 'cancel',
    kind: 'cancel',
    label: 'Cancel project (PMO)',
    steps: [
      { actor: SIM_PMO, pmo: true, command: { type: 'cancel', reason: 'Simulated cancellation' } },
    ],
  });
  return actions;
}

/** Sign-off buttons: each eligible signer × each allowed decision, plus "quorum signs go". */
function signoffActions(session: SimSession, node: TemplateNode, inputs: SimInputs): SimAction[] {
  const rules = rulesOf(node);
  const rec = session.machine.state.nodes[node.id];
  if (rules.length === 0 || !rec) return [];
  const decisions: readonly Decision[] =
    node.type === 'gate' ? (node.decisions ?? ['go', 'recycle', 'hold', 'kill']) : ['go'];
  const signed = new Set(rec.votes.map((v) => v.userId));
  const criteria = inputs.scores?.[node.id] ?? fullMarks(node);
  const hasCriteria = node.type === 'gate' && (node.criteria?.length ?? 0) > 0;
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
  for (const rule of rules) {
    const users = session.machine.state.participants[rule.role] ?? [];
    const goes = rec.votes.filter((v) => v.role === rule.role && v.decision === 'go').length;
    users
      .filter((u) => !signed.has(u))
      .slice(0, Math.max(0, rule.min - goes))
      .forEach((u) => quorum.push(step(u, rule.role, 'go')));
    for (const user of users.filter((u) => !signed.has(u))) {
      for (const decision of decisions) {
        actions.push({
          id: `signoff-${node.id}-${decision}-${user}`,
          kind: 'signoff',
          label: `${user}: ${decision === 'go' ? verb : decision}`,
          nodeId: node.id,
          steps: [step(user, rule.role, decision)],
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

function hypercareActions(session: SimSession, node: TemplateNode, inputs: SimInputs): SimAction[] {
  if (node.type !== 'hypercare') return [];
  const { state } = session.machine;
  const ops = session.machine.template.roles.find((r) => r.operations)?.key;
  const reporter =
    (ops && state.participants[ops]?.[0]) || Object.values(state.participants).flat()[0] || SIM_PMO;
  const signer = state.participants[node.exit.rules[0]?.role ?? '']?.[0] ?? SIM_PMO;
  const actions: SimAction[] = [];
  const issue = inputs.issue ?? { severity: 2, title: 'Simulated issue' };
  actions.push({
    id: 'raise-issue',
    kind: 'raise-issue',
    label: `Raise S${issue.severity} issue "${issue.title}"`,
    nodeId: node.id,
    steps: [
      {
        actor: reporter,
        command: { type: 'raiseIssue', severity: issue.severity, title: issue.title },
      },
    ],
  });
  for (const open of state.issues.filter((i) => i.nodeId === node.id && i.status === 'open')) {
    actions.push({
      id: `resolve-${open.id}`,
      kind: 'resolve-issue',
      label: `Resolve S${open.severity} "${open.title}"`,
      nodeId: node.id,
      steps: [{ actor: reporter, command: { type: 'resolveIssue', issueId: open.id } }],
    });
  }
  const hc = state.nodes[node.id]?.hypercare;
  if (node.extendBy && hc && hc.extensions < (node.maxExtensions ?? 0)) {
    actions.push({
      id: 'extend',
      kind: 'extend',
      label: `Extend by ${node.extendBy}`,
      nodeId: node.id,
      steps: [
        { actor: signer, command: { type: 'extendHypercare', reason: 'Simulated extension' } },
      ],
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
    (a) =>
      a.kind === 'deliver' &&
      a.nodeId === node.id &&
      !a.label.endsWith('(optional)') &&
      !a.id.startsWith('deliver-all'),
  );
  return (
    pick('resume') ??
    pick(`deliver-all-${node.id}`) ??
    requiredMissing[0] ??
    pick(`complete-${node.id}`) ??
    pick(`signoff-all-${node.id}`) ??
    (node.type === 'monitor' ? pick('retire') : undefined)
  );
}
