/**
 * The worst use a project allows (issue 8, "bounded state"): every participant slot filled with
 * the longest user ids, every text at its cap in four-byte characters, every list driven to its
 * cap, an idempotency key of maximal length on every action, and as many actions as asked,
 * chosen by the caller (fast-check) among everything participants can do. Runs the pure
 * interpreter in virtual time and measures, after every step, what Temporal would carry: the
 * state (Query answer, continue-as-new input), each Update's input and answer, and the largest
 * record write the outbox could send: effects in parts of its budget (workflows/outbox.ts),
 * the last one with the state.
 */
import {
  decide,
  isClosed,
  RECORD_BATCH_BYTES,
  SNAPSHOT_WITH_PART_BYTES,
  splitEffects,
  startProject,
  tick,
  type Effects,
  type Machine,
} from '../../workflows/lifecycle';
import {
  INPUT_REVISION,
  LIMITS,
  awaitsMetricsAgreement,
  fullReadiness,
  missingDeliverables,
  readinessGaps,
  signerRules,
  utf8Bytes,
  type Command,
  type Participants,
  type ProjectInput,
  type Metric,
  type ProjectState,
  type Template,
} from '../../workflows/model';
import { fullMarks } from '../workflows/drive';

/** Bytes of JSON, as a Temporal payload weighs it. */
export const bytes = (value: unknown) => utf8Bytes(JSON.stringify(value));

/** `n` characters of four UTF-8 bytes each (the heaviest a capped text can be). */
export const heavy = (n: number) => '🧪'.repeat(n);

export interface Sizes {
  state: number;
  updateInput: number;
  updateResult: number;
  recordWrite: number;
  continueAsNew: number;
}

export interface WorstUse {
  machine: Machine;
  input: ProjectInput;
  max: Sizes;
  actions: number;
  refused: Record<string, number>;
}

/** `n` moved into the metric's allowed range: a KPI value outside it is refused. */
const withinRange = (metric: Pick<Metric, 'min' | 'max'>, n: number) =>
  Math.min(metric.max ?? n, Math.max(metric.min ?? n, n));

const userId = (role: string, i: number) => `${role}-${i}-`.padEnd(LIMITS.userId, 'u');

/** Every role full: LIMITS.usersPerRole users each, ids at their longest. */
export function fullParticipants(template: Template): Participants {
  return Object.fromEntries(
    template.roles.map((r) => [
      r.key,
      Array.from({ length: LIMITS.usersPerRole }, (_, i) => userId(r.key, i)),
    ]),
  );
}

type Cmd = Command extends infer C ? (C extends Command ? Omit<C, 'actor'> : never) : never;

/**
 * Drives at least `minActions` actions chosen by `choices` (while the choices last and the
 * project is open), then moves on as participants would until `done` (default: completed).
 */
export function worstUse(
  template: Template,
  choices: readonly number[],
  minActions = 1000,
  done: (state: ProjectState) => boolean = isClosed,
): WorstUse {
  const participants = fullParticipants(template);
  const input: ProjectInput = {
    projectId: 'p-worst',
    name: heavy(LIMITS.projectName),
    template,
    version: 1,
    participants,
    startedBy: 'pmo-1',
    rev: INPUT_REVISION,
  };
  let now = Date.UTC(2026, 0, 5);
  let machine = startProject(input, now).machine;
  const max: Sizes = {
    state: 0,
    updateInput: 0,
    updateResult: 0,
    recordWrite: 0,
    continueAsNew: 0,
  };
  const refused: Record<string, number> = {};
  let actions = 0;
  let keys = 0;
  const sent: { userId: string; command: Cmd; pmo: boolean }[] = [];

  const measure = (effects?: Effects) => {
    const state = bytes(machine.state);
    max.state = Math.max(max.state, state);
    if (effects) {
      // As the outbox writes them: parts of the budget, the state with a small last part.
      const parts = splitEffects(effects, RECORD_BATCH_BYTES);
      for (const part of parts) max.recordWrite = Math.max(max.recordWrite, bytes(part));
      const last = bytes(parts.at(-1));
      const withState = last > SNAPSHOT_WITH_PART_BYTES ? state : last + state;
      max.recordWrite = Math.max(max.recordWrite, withState);
    }
    const can = bytes({ ...input, template: machine.template, continued: machine.state });
    max.continueAsNew = Math.max(max.continueAsNew, can);
  };
  const act = (userId: string, command: Cmd, pmo = false): boolean => {
    const keyed = {
      ...command,
      idempotencyKey: `k-${++keys}-`.padEnd(LIMITS.idempotencyKey, 'k'),
    } as Cmd;
    const full = { ...keyed, actor: { userId, ...(pmo && { pmo }) }, rev: INPUT_REVISION };
    actions += 1;
    max.updateInput = Math.max(max.updateInput, bytes(full));
    const decision = decide(machine, full as Command, now);
    if (!decision.ok) {
      refused[decision.rejection.code] = (refused[decision.rejection.code] ?? 0) + 1;
      return false;
    }
    max.updateResult = Math.max(max.updateResult, bytes(decision.result));
    machine = decision.machine;
    sent.push({ userId, command: keyed, pmo });
    measure(decision.effects);
    return true;
  };
  const advance = (ms: number) => {
    now += ms;
    const fired = tick(machine, now);
    machine = fired.machine;
    measure(fired.effects);
  };
  const node = (id: string) => template.nodes.find((n) => n.id === id)!;
  const current = () => machine.state.current.map(node);
  const users = (role: string) => participants[role] ?? [];

  /** A signer of `nodeId` who has not signed this visit, preferring roles already satisfied. */
  const signerFor = (nodeId: string, extra: boolean): [string, string] | undefined => {
    const n = node(nodeId);
    const rules = signerRules(n);
    const votes = machine.state.nodes[nodeId]?.votes ?? [];
    const goes = (role: string) =>
      votes.filter((v) => v.role === role && v.decision === 'go').length;
    const ordered = [...rules].sort((a, b) =>
      extra
        ? goes(b.role) - b.min - (goes(a.role) - a.min)
        : goes(a.role) - a.min - (goes(b.role) - b.min),
    );
    for (const rule of ordered) {
      const user = users(rule.role).find((u) => !votes.some((v) => v.userId === u));
      if (user) return [user, rule.role];
    }
    return undefined;
  };
  const conditionsRoom = () => {
    const pending = Object.values(machine.state.nodes).reduce(
      (n, r) => n + r.votes.reduce((m, v) => m + (v.conditions?.length ?? 0), 0),
      0,
    );
    return Math.max(0, LIMITS.conditionsPerProject - machine.state.conditions.length - pending);
  };
  const sign = (nodeId: string, extra: boolean, decision: 'go' | 'hold' | 'recycle' = 'go') => {
    const signer = signerFor(nodeId, extra);
    if (!signer) return false;
    const room = Math.min(LIMITS.conditionsPerSignoff, conditionsRoom());
    const conditions = Array.from({ length: decision === 'go' ? room : 0 }, () => ({
      text: heavy(LIMITS.conditionText),
      due: 'PT60S',
      owner: template.roles[0]!.key,
    }));
    return act(signer[0], {
      type: 'signoff',
      nodeId,
      decision,
      role: signer[1],
      comment: heavy(LIMITS.comment),
      criteria: fullMarks(node(nodeId)),
      ...(conditions.length > 0 && { conditions }),
    });
  };
  const submitAll = (nodeId: string, by: string) => {
    const n = node(nodeId);
    const deliverables = n.type === 'stage' || n.type === 'gate' ? (n.deliverables ?? []) : [];
    for (const d of deliverables) {
      act(by, {
        type: 'deliverable',
        nodeId,
        deliverableId: d.id,
        url: `https://docs.example.test/${'p'.repeat(LIMITS.url - 40)}`,
        text: heavy(LIMITS.deliverableText),
      });
    }
  };
  /** One step towards the end of the lifecycle. */
  const progress = () => {
    const n = current()[0];
    if (!n) return;
    const rec = machine.state.nodes[n.id]!;
    if (machine.state.status === 'on_hold') {
      act('pmo-1', { type: 'resume', reason: heavy(LIMITS.reason) }, true);
    } else if (n.type === 'stage') {
      const owner = users(n.owner ?? template.roles[0]!.key)[0]!;
      if (missingDeliverables(n, rec).length > 0) submitAll(n.id, owner);
      else act(owner, { type: 'complete', nodeId: n.id });
    } else if (n.type === 'gate') {
      const pm = users('pm')[0] ?? users(template.roles[0]!.key)[0]!;
      if (missingDeliverables(n, rec).length > 0) submitAll(n.id, pm);
      else if (awaitsMetricsAgreement(n, machine.state)) {
        act(opsUser(), { type: 'agreeMetrics', comment: heavy(LIMITS.comment) });
      } else if (readinessGaps(n, rec).length > 0) recordReadiness(n.id);
      else sign(n.id, false);
    } else if (n.type === 'hypercare') {
      const open = machine.state.issues.find((i) => i.status === 'open');
      if (machine.state.issues.length < LIMITS.issuesPerProject) {
        act(anyone(), { type: 'raiseIssue', severity: 1, title: heavy(LIMITS.issueTitle) });
        return;
      }
      if (open)
        act(users('ops-manager')[0]!, {
          type: 'resolveIssue',
          issueId: open.id,
          note: heavy(LIMITS.comment),
        });
      else sign(n.id, false);
    } else if (n.type === 'review') {
      sign(n.id, false);
    } else if (n.type === 'monitor') {
      if ((rec.monitor?.reviews ?? 0) < 3) advance(6000);
      else act(users(n.reviewers[0]!)[0]!, { type: 'retire', reason: heavy(LIMITS.reason) });
    }
  };
  /** An operations participant: they agree metrics and may confirm the support model. */
  const opsUser = () => users(template.roles.find((r) => r.operations)!.key)[0]!;
  /** The gate's whole checklist recorded as met, with the longest comment. */
  const recordReadiness = (nodeId: string) => {
    const n = node(nodeId);
    if (n.type !== 'gate' || !n.readiness) return;
    act(opsUser(), {
      type: 'recordReadiness',
      nodeId,
      ...fullReadiness(n, 1 + (actions % 1000)),
      comment: heavy(LIMITS.comment),
    });
  };
  const metrics = template.metrics ?? [];
  const anyone = () =>
    users(template.roles[actions % template.roles.length]!.key)[actions % LIMITS.usersPerRole]!;

  const moves: (() => void)[] = [
    () =>
      act(anyone(), {
        type: 'feedback',
        kind: actions % 2 ? 'lesson' : 'feedback',
        text: heavy(LIMITS.feedbackText),
      }),
    () =>
      metrics.length > 0 &&
      act(anyone(), {
        type: 'recordKpi',
        metric: metrics[actions % metrics.length]!.key,
        value: withinRange(metrics[actions % metrics.length]!, actions),
        at: new Date(now - (actions % 7) * 86_400_000).toISOString(),
      }),
    () => {
      const n = current()[0];
      if (n && (n.type === 'stage' || n.type === 'gate')) submitAll(n.id, anyone());
      // A gate's readiness checklist recorded again and again, with the longest comment.
      if (n?.type === 'gate') recordReadiness(n.id);
    },
    () => {
      if (current()[0]?.type === 'hypercare') {
        act(anyone(), {
          type: 'raiseIssue',
          severity: 1 + (actions % 3),
          title: heavy(LIMITS.issueTitle),
        });
      }
    },
    () => {
      const n = current()[0];
      if (n && (n.type === 'gate' || n.type === 'review' || n.type === 'hypercare'))
        sign(n.id, true);
    },
    () => {
      const n = current()[0];
      if (n?.type === 'gate' && (n.decisions ?? ['hold']).includes('hold'))
        sign(n.id, true, 'hold');
    },
    () => {
      const n = current()[0];
      if (n?.type === 'gate' && (n.decisions ?? ['recycle']).includes('recycle'))
        sign(n.id, true, 'recycle');
    },
    () => {
      const open = machine.state.conditions.find((c) => c.status !== 'met');
      if (open?.kind === 'review-action') {
        const owner = open.assignee ?? users(open.owner)[0]!;
        act(owner, { type: 'reviewActionDone', actionId: open.id, note: heavy(LIMITS.comment) });
      } else if (open) {
        act(
          'pmo-1',
          { type: 'conditionMet', conditionId: open.id, note: heavy(LIMITS.comment) },
          true,
        );
      }
    },
    () => {
      const n = current()[0];
      if (n?.type !== 'review') return;
      const reviewer = users(n.signoff.rules[0]!.role)[0]!;
      act(reviewer, {
        type: 'reviewDecision',
        nodeId: n.id,
        text: heavy(LIMITS.reviewDecisionText),
      });
      const owner = template.roles[actions % template.roles.length]!.key;
      act(reviewer, {
        type: 'reviewAction',
        nodeId: n.id,
        text: heavy(LIMITS.conditionText),
        due: 'PT60S',
        owner,
        assignee: users(owner)[LIMITS.usersPerRole - 1]!,
      });
    },
    () => {
      if (current()[0]?.type === 'hypercare') {
        act(users('ops-manager')[0]!, { type: 'extendHypercare', reason: heavy(LIMITS.reason) });
      }
    },
    () => advance(1000 + (actions % 5) * 1000),
    () => {
      const again = sent[actions % Math.max(1, sent.length)];
      if (again) {
        actions += 1;
        const decision = decide(
          machine,
          {
            ...again.command,
            actor: { userId: again.userId, ...(again.pmo && { pmo: true }) },
            rev: INPUT_REVISION,
          },
          now,
        );
        if (decision.ok) max.updateResult = Math.max(max.updateResult, bytes(decision.result));
      }
    },
  ];

  // Each node gets its share of the actions: every list fills up wherever it can.
  let at = machine.state.current.join();
  let spentHere = 0;
  for (const choice of choices) {
    if (isClosed(machine.state) || actions >= minActions) break;
    const before = actions;
    if (spentHere >= minActions / 9 || choice % 20 === 0) progress();
    else moves[choice % moves.length]!();
    const now = machine.state.current.join();
    spentHere = now === at ? spentHere + actions - before : 0;
    at = now;
  }
  // Then to the end, as its participants would.
  for (let guard = 0; guard < 5000 && !done(machine.state) && !isClosed(machine.state); guard++) {
    progress();
  }
  measure();
  return { machine, input, max, actions, refused };
}
