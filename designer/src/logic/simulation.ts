/**
 * A project simulated in the browser with the very interpreter the workflow runs
 * (workflows/lifecycle): virtual participants, a virtual clock and a log of everything the
 * interpreter emitted. Timers fire one by one at their own instants, as Temporal's would,
 * so reminders and escalations carry their true virtual timestamps.
 */
import {
  decide,
  isClosed,
  nextDeadline,
  startProject,
  tick,
  type Effects,
  type Machine,
} from '../../../workflows/lifecycle';
import type { SimStatus } from './canvas';
import {
  addDuration,
  isPositiveDuration,
  seatParticipants,
  type AuditEntry,
  type Command,
  type Deadline,
  type Notification,
  type Participants,
  type Rejection,
  type Template,
} from '../../../workflows/model';

/** Monday 5 January 2026, 09:00 UTC: a readable virtual "day one". */
export const SIM_EPOCH = Date.UTC(2026, 0, 5, 9, 0, 0);
/** The virtual PMO who starts the project (and receives PMO notifications). */
export const SIM_PMO = 'pmo';

export type SimEvent =
  | { seq: number; at: number; kind: 'notification'; notification: Notification }
  | { seq: number; at: number; kind: 'audit'; audit: AuditEntry };

export interface SimSession {
  template: Template;
  machine: Machine;
  now: number;
  participants: Participants;
  /** Everything emitted so far, oldest first. */
  events: SimEvent[];
}

/** A command as a participant sends it; the actor is given separately. */
export type SimCommand = Command extends infer C
  ? C extends Command
    ? Omit<C, 'actor'>
    : never
  : never;

export interface SimStep {
  actor: string;
  pmo?: boolean;
  command: SimCommand;
}

function withEffects(session: SimSession, machine: Machine, effects: Effects): SimSession {
  let seq = session.events.length;
  const events: SimEvent[] = [
    ...effects.audits.map((audit): SimEvent => ({
      seq: seq++,
      at: audit.at,
      kind: 'audit',
      audit,
    })),
    ...effects.notifications.map((notification): SimEvent => ({
      seq: seq++,
      at: notification.at,
      kind: 'notification',
      notification,
    })),
  ];
  return { ...session, machine, events: [...session.events, ...events] };
}

/** A fresh project on `template` (which must be valid: the interpreter trusts it). */
export function startSimulation(template: Template, now = SIM_EPOCH): SimSession {
  const participants = seatParticipants(template);
  const started = startProject(
    {
      projectId: 'simulation',
      name: 'Simulation',
      template,
      version: 1,
      participants,
      startedBy: SIM_PMO,
    },
    now,
  );
  const session: SimSession = { template, machine: started.machine, now, participants, events: [] };
  return withEffects(session, started.machine, started.effects);
}

/**
 * Runs steps in order at the current instant; stops at the first refusal, keeping what the
 * earlier steps did (as real users acting one after another would).
 */
export function runSteps(
  session: SimSession,
  steps: readonly SimStep[],
): { session: SimSession; rejection?: Rejection & { step: number } } {
  let current = session;
  for (const [index, step] of steps.entries()) {
    const command = {
      ...step.command,
      actor: { userId: step.actor, pmo: step.pmo ?? false },
    } as Command;
    const decision = decide(current.machine, command, current.now);
    if (!decision.ok)
      return { session: current, rejection: { ...decision.rejection, step: index } };
    current = withEffects(current, decision.machine, decision.effects);
  }
  return { session: current };
}

/** Moves the clock to `at`, firing each deadline on the way at its own instant. */
export function advanceTo(session: SimSession, at: number): SimSession {
  let current = session;
  for (let guard = 0; guard < 10_000; guard++) {
    const next = nextDeadline(current.machine.state);
    if (next === undefined || next > at || isClosed(current.machine.state)) break;
    const fired = tick(current.machine, next);
    current = withEffects(
      { ...current, now: Math.max(current.now, next) },
      fired.machine,
      fired.effects,
    );
  }
  return { ...current, now: Math.max(current.now, at) };
}

/** Jumps to the next pending deadline (nothing happens when none is scheduled). */
export function advanceToNextDeadline(session: SimSession): SimSession {
  const next = nextDeadline(session.machine.state);
  return next === undefined ? session : advanceTo(session, next);
}

/** Advances by an ISO duration; undefined when the duration is not a positive one. */
export function advanceBy(session: SimSession, duration: string): SimSession | undefined {
  if (!isPositiveDuration(duration)) return undefined;
  return advanceTo(session, addDuration(session.now, duration));
}

/** Pending timers, soonest first, for the "what happens next" list. */
export function upcoming(session: SimSession): Deadline[] {
  return [...session.machine.state.deadlines].sort((a, b) => a.at - b.at);
}

/** How each node stands: where the project is now, what it finished, what it passed through. */
export function nodeStatuses(session: SimSession): Record<string, SimStatus> {
  const statuses: Record<string, SimStatus> = {};
  for (const node of session.machine.template.nodes) {
    const rec = session.machine.state.nodes[node.id];
    statuses[node.id] =
      !rec || rec.visits === 0
        ? 'pending'
        : rec.status === 'active'
          ? 'current'
          : rec.status === 'on_hold'
            ? 'on_hold'
            : rec.status === 'done'
              ? 'done'
              : 'visited';
  }
  return statuses;
}

/** Edges the project has followed ("from~to"), read from the audit trail's node entries. */
export function takenEdges(session: SimSession): Set<string> {
  const taken = new Set<string>();
  for (const event of session.events) {
    if (event.kind !== 'audit' || event.audit.action !== 'node.entered') continue;
    const from = event.audit.detail?.from;
    if (typeof from === 'string') taken.add(`${from}~${event.audit.nodeId ?? ''}`);
  }
  return taken;
}

/** Renders a virtual instant: "Mon 05 Jan 2026 09:00". UTC keeps it the same for everyone. */
export function formatInstant(at: number): string {
  const d = new Date(at);
  const day = d.toLocaleDateString('en-GB', {
    weekday: 'short',
    day: '2-digit',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const time = d.toISOString().slice(11, 16);
  return `${day.replace(/,/g, '')} ${time}`;
}
