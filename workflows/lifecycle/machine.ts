/**
 * The lifecycle interpreter: a pure, deterministic state machine over a pinned template.
 * `decide` applies one action (or refuses it without touching anything), `tick` fires the
 * durable deadlines that are due. The workflow only wires Temporal primitives to these; the
 * designer's simulation runs the very same functions.
 */
import { STATE_VERSION } from '../model/state-migrations';
import type {
  ActionResult,
  AuditEntry,
  Command,
  Deadline,
  KeyRecord,
  Notification,
  ProjectInput,
  ProjectState,
  Rejection,
  StoredText,
  Template,
} from '../model';
import { keyOf } from './keys';
import { Refusal, Step, refuse, structuredCopy } from './context';
import { onSlaDeadline, enter } from './navigation';
import { resume, signoff } from './signoff';
import { completeStage, submitDeliverable } from './stage';
import { extendManually, onEscalate, onExpiry, raiseIssue, resolveIssue } from './hypercare';
import { recordKpi, retire } from './monitor';
import { agreeMetrics, recordCost, setMetrics } from './metrics';
import { recordReadiness } from './readiness';
import { kpiReview, onPeriodEnd, onReviewDue, standsIn } from './kpi-review';
import { cancel, feedback, migrate, reassign } from './project';
import { conditionMet, onConditionDue, onConditionRemind } from './conditions';
import { reviewAction, reviewActionDone, reviewDecision } from './review';
import { acknowledgeIssue, onIssueDeadline, respondToIssue } from './issues';
import { feedbackStatus } from './feedback';
import { watchBudget } from './budget';
import type { DecideOptions } from './decide-options';

export type { DecideOptions } from './decide-options';

/** A project as the interpreter sees it: its state and the template version it runs. */
export interface Machine {
  state: ProjectState;
  template: Template;
}

/** What a step asks the outside world to do: record (audit, texts, keys) and notify. */
export interface Effects {
  audits: AuditEntry[];
  notifications: Notification[];
  texts: StoredText[];
  keys: KeyRecord[];
}

export const NO_EFFECTS: Effects = { audits: [], notifications: [], texts: [], keys: [] };

export type Decision =
  | { ok: true; machine: Machine; result: ActionResult; effects: Effects; replayed: boolean }
  | { ok: false; rejection: Rejection };

const CLOSED = new Set(['completed', 'killed', 'cancelled']);

export function isClosed(state: ProjectState): boolean {
  return CLOSED.has(state.status);
}

/** Patch id: a project whose input carries `startedAt` (the API's time) starts at that time. */
export const INPUT_START_TIME = 'input-start-time';

/** The initial machine of a project: every node pending, then the start node entered. */
export function startProject(
  input: ProjectInput,
  now: number,
): { machine: Machine; effects: Effects } {
  const state: ProjectState = {
    version: STATE_VERSION,
    id: input.projectId,
    name: input.name,
    template: { key: input.template.key, version: input.version },
    status: 'active',
    current: [],
    participants: input.participants,
    startedBy: input.startedBy,
    startedAt: now,
    updatedAt: now,
    nodes: {},
    issues: [],
    conditions: [],
    kpis: [],
    feedback: [],
    deadlines: [],
    timeline: [],
    seq: 1,
    notified: 0,
    keys: {},
    idempotency: {},
    feedbackCount: 0,
    reviewsThisRun: 0,
  };
  const step = new Step(state, input.template, now, input.startedBy);
  for (const node of input.template.nodes) step.record(node.id);
  step.audit('project.started', {
    detail: { template: state.template, participants: input.participants },
  });
  enter(step, input.template.start);
  return { machine: { state, template: step.template }, effects: effectsOf(step) };
}

/** Applies one action. A refusal leaves the machine exactly as it was. */
export function decide(
  machine: Machine,
  command: Command,
  now: number,
  options: DecideOptions = {},
): Decision {
  const { state } = machine;
  const key = keyOf(state, command, now, options.legacy === true);
  if (key.answer) return key.answer(machine);
  const step = new Step(copyState(state), machine.template, now, command.actor.userId);
  step.revisitCounts = options.legacyRevisitCounts !== true;
  try {
    const result = apply(step, command, options);
    step.state.updatedAt = now;
    key.remember(step, result);
    return {
      ok: true,
      machine: { state: step.state, template: step.template },
      result,
      effects: effectsOf(step),
      replayed: false,
    };
  } catch (error) {
    if (error instanceof Refusal)
      return reject(error.code, error.message, error.path, error.errors);
    throw error;
  }
}

/** Fires every deadline due at `now`, earliest first (handlers may schedule new ones). */
export function tick(
  machine: Machine,
  now: number,
  options: Pick<DecideOptions, 'legacyRevisitCounts' | 'legacyExitNotices'> = {},
): { machine: Machine; effects: Effects } {
  if (!machine.state.deadlines.some((d) => d.at <= now)) {
    return { machine, effects: NO_EFFECTS };
  }
  const step = new Step(copyState(machine.state), machine.template, now, 'system');
  step.revisitCounts = options.legacyRevisitCounts !== true;
  step.exitNotices = options.legacyExitNotices !== true;
  for (let guard = 0; guard < 10_000; guard++) {
    const due = step.state.deadlines
      .filter((d) => d.at <= now)
      .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1))[0];
    if (!due || isClosed(step.state)) break;
    step.cancelDeadlines((d) => d.id === due.id);
    try {
      onDeadline(step, due);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      // A deadline of a node a migration took out of the template: dropped, and said so in
      // the audit trail, rather than failing this and every later workflow task.
      step.audit('deadline.dropped', {
        ...(due.nodeId !== undefined && { nodeId: due.nodeId }),
        actor: 'system',
        reason: error.message,
        detail: { kind: due.kind },
      });
    }
  }
  step.state.updatedAt = now;
  return { machine: { state: step.state, template: step.template }, effects: effectsOf(step) };
}

/** Runs the handler of one deadline that fell due. */
function onDeadline(step: Step, due: Deadline): void {
  const nodeId = due.nodeId ?? '';
  switch (due.kind) {
    case 'sla-remind':
    case 'sla-due':
    case 'sla-escalate':
      onSlaDeadline(step, due.kind, nodeId, due.index ?? 0);
      break;
    case 'hypercare-expiry':
      onExpiry(step, nodeId);
      break;
    case 'hypercare-escalate':
      onEscalate(step, nodeId, due.index ?? 0, step.exitNotices);
      break;
    case 'condition-due':
      onConditionDue(step, due.conditionId ?? '');
      break;
    case 'condition-remind':
      onConditionRemind(step, due.conditionId ?? '');
      break;
    case 'monitor-review':
      onPeriodEnd(step, nodeId);
      break;
    case 'kpi-review-due':
      onReviewDue(step, nodeId);
      break;
    case 'issue-respond':
    case 'issue-remind':
    case 'issue-resolve':
    case 'issue-escalate':
      onIssueDeadline(step, due.kind, due.issueId ?? '', due.index ?? 0);
      break;
  }
}

/** The earliest pending deadline (epoch ms), or undefined when nothing is scheduled. */
export function nextDeadline(state: ProjectState): number | undefined {
  let next: number | undefined;
  for (const d of state.deadlines) if (next === undefined || d.at < next) next = d.at;
  return next;
}

function apply(step: Step, command: Command, options: DecideOptions): ActionResult {
  const { state } = step;
  const legacy = options.legacy === true;
  const handover = options.feedbackHandover ?? true;
  const alertBudget = options.overBudgetAlert ?? true;
  if (isClosed(state)) refuse('project_closed', `the project is ${state.status}`);
  const { userId, pmo = false } = command.actor;
  const participant = () => {
    if (!step.isParticipant(userId))
      refuse('not_participant', 'you are not a participant of this project');
  };
  let nodeId: string | undefined;
  let id: string | undefined;
  switch (command.type) {
    case 'signoff':
      nodeId = signoff(step, command, legacy);
      break;
    case 'deliverable':
      participant();
      nodeId = submitDeliverable(step, command);
      break;
    case 'complete':
      participant();
      nodeId = completeStage(step, command);
      break;
    case 'raiseIssue':
      participant();
      ({ nodeId, id } = raiseIssue(step, command, legacy));
      break;
    case 'resolveIssue':
      participant();
      ({ nodeId, id } = resolveIssue(step, command, options.issueResolvedNotice ?? true));
      break;
    case 'acknowledgeIssue':
      participant();
      ({ nodeId, id } = acknowledgeIssue(step, command));
      break;
    case 'respondToIssue':
      participant();
      ({ nodeId, id } = respondToIssue(step, command));
      break;
    case 'extendHypercare':
      nodeId = extendManually(step, command);
      break;
    case 'recordKpi':
      participant();
      recordKpi(step, command, options.kpiInRange ?? true, options.kpiNotFuture ?? true);
      break;
    case 'setMetrics':
      participant();
      setMetrics(step, command);
      if (alertBudget) watchBudget(step, 'budget');
      break;
    case 'agreeMetrics':
      participant();
      agreeMetrics(step, command, options.metricsAsSeen ?? true);
      break;
    case 'recordCost':
      // The PMO records it without taking part: the rule is costRefusal's.
      recordCost(step, command);
      if (alertBudget) watchBudget(step, 'cost');
      break;
    case 'recordReadiness':
      participant();
      nodeId = recordReadiness(step, command);
      break;
    case 'kpiReview': {
      // A delegate need not take part: the reviewer they stand in for must (kpiReview).
      const delegated = options.kpiReviewDelegation ?? true;
      if (!delegated || !standsIn(command)) participant();
      ({ nodeId, id } = kpiReview(
        step,
        command,
        options.reusedFollowUpIds === true,
        options.kpiInRange ?? true,
        delegated,
      ));
      break;
    }
    case 'feedback':
      participant();
      id = feedback(step, command, handover);
      break;
    case 'conditionMet':
      nodeId = conditionMet(step, command);
      break;
    case 'feedbackStatus':
      id = feedbackStatus(step, command, handover);
      break;
    case 'reviewDecision':
      ({ nodeId, id } = reviewDecision(step, command));
      break;
    case 'reviewAction':
      ({ nodeId, id } = reviewAction(step, command));
      break;
    case 'reviewActionDone':
      ({ nodeId, id } = reviewActionDone(step, command));
      break;
    case 'resume':
      nodeId = resume(step, userId, pmo, command.reason);
      break;
    case 'retire':
      nodeId = retire(step, userId, pmo, command.reason);
      break;
    case 'cancel':
      cancel(step, userId, pmo, command.reason);
      break;
    case 'migrate':
      migrate(step, command, legacy, options.migrationDeadline ?? true);
      break;
    case 'reassign':
      reassign(step, command, handover);
      break;
  }
  const node = nodeId !== undefined ? state.nodes[nodeId] : undefined;
  return {
    status: state.status,
    current: [...state.current],
    ...(nodeId !== undefined && { nodeId }),
    ...(node !== undefined && { node }),
    ...(id !== undefined && { id }),
    seq: state.seq - 1,
  };
}

function reject(
  code: Rejection['code'],
  message: string,
  path?: (string | number)[],
  errors?: Rejection['errors'],
): Decision {
  return {
    ok: false,
    rejection: {
      code,
      message,
      ...(path !== undefined && { path }),
      ...(errors !== undefined && { errors }),
    },
  };
}

function effectsOf(step: Step): Effects {
  return {
    audits: step.audits,
    notifications: step.notifications,
    texts: step.texts,
    keys: step.keys,
  };
}

/**
 * The state a decision works on. Parts a decision never changes in place are shared with the
 * state it came from, not copied: idempotency keys (replaced as a whole), the entries of the
 * timeline and of legacy keys (appended and dropped, each entry frozen when written, so a
 * change in place would throw), and the node records, which the step copies one by one as it
 * first takes each in hand (`Step.record`): a decision touches one or two of a dozen or more.
 * The rest is copied deeply. The copy keeps the state's field order, so it serialises as the
 * state did.
 */
function copyState(state: ProjectState): ProjectState {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(state)) {
    if (value === undefined) continue;
    copy[key] = SHARED_FIELDS[key]?.(value) ?? structuredCopy(value);
  }
  return copy as ProjectState;
}

type Share = (value: unknown) => unknown;
const SHARED_FIELDS: Partial<Record<string, Share>> = {
  keys: (keys: unknown) => keys,
  timeline: (timeline: unknown) => [...(timeline as unknown[])],
  idempotency: (idempotency: unknown) => ({ ...(idempotency as object) }),
  nodes: (nodes: unknown) => ({ ...(nodes as object) }),
} satisfies Partial<Record<keyof ProjectState, Share>>;
