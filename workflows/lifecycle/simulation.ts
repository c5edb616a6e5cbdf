/**
 * A project simulated with the very interpreter the workflow runs: virtual participants, a
 * virtual clock and a log of everything the interpreter emitted. The designer's simulation,
 * the unit tests and property tests drive projects with it. Pure: no Temporal, no I/O.
 */
import { addDuration, isPositiveDuration } from '../model/duration';
import { seatParticipants } from '../model/signers';
import type {
  AuditEntry,
  Command,
  Deadline,
  Notification,
  Participants,
  Rejection,
  Template,
} from '../model';
import {
  decide,
  isClosed,
  nextDeadline,
  startProject,
  tick,
  type Decision,
  type Effects,
  type Machine,
} from './machine';

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

export interface SimOptions {
  now?: number;
  /** Default: one virtual user per seat the template needs (`seatParticipants`). */
  participants?: Participants;
  projectId?: string;
  name?: string;
  startedBy?: string;
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
export function startSimulation(template: Template, options: SimOptions = {}): SimSession {
  const now = options.now ?? SIM_EPOCH;
  const participants = options.participants ?? seatParticipants(template);
  const started = startProject(
    {
      projectId: options.projectId ?? 'simulation',
      name: options.name ?? 'Simulation',
      template,
      version: 1,
      participants,
      startedBy: options.startedBy ?? SIM_PMO,
    },
    now,
  );
  const session: SimSession = { template, machine: started.machine, now, participants, events: [] };
  return withEffects(session, started.machine, started.effects);
}

/** One step at the current instant: the interpreter's decision and the session after it. */
export function runStep(
  session: SimSession,
  step: SimStep,
): { session: SimSession; decision: Decision } {
  const command = { ...step.command, actor: { userId: step.actor, pmo: step.pmo ?? false } };
  const decision = decide(session.machine, command, session.now);
  if (!decision.ok) return { session, decision };
  return { session: withEffects(session, decision.machine, decision.effects), decision };
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
    const { session: next, decision } = runStep(current, step);
    if (!decision.ok)
      return { session: current, rejection: { ...decision.rejection, step: index } };
    current = next;
  }
  return { session: current };
}

/** Moves the clock to `at` and fires every deadline due by then in one tick at `at`. */
export function tickAt(session: SimSession, at: number): SimSession {
  const fired = tick(session.machine, at);
  return withEffects({ ...session, now: at }, fired.machine, fired.effects);
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

/**
 * The same simulation held in one mutable object, for drivers that act step after step
 * (unit and property tests, the bench's rehearsal).
 */
export class Simulator {
  session: SimSession;

  constructor(template: Template, options: SimOptions = {}) {
    this.session = startSimulation(template, options);
  }

  get machine(): Machine {
    return this.session.machine;
  }

  get state() {
    return this.session.machine.state;
  }

  get now(): number {
    return this.session.now;
  }

  set now(at: number) {
    this.session = { ...this.session, now: at };
  }

  get notifications(): Notification[] {
    return this.session.events.flatMap((e) => (e.kind === 'notification' ? [e.notification] : []));
  }

  get audits(): AuditEntry[] {
    return this.session.events.flatMap((e) => (e.kind === 'audit' ? [e.audit] : []));
  }

  /** `userId` sends `command` now; the project moves on only when it is accepted. */
  act(userId: string, command: SimCommand, pmo = false): Decision {
    const { session, decision } = runStep(this.session, { actor: userId, pmo, command });
    this.session = session;
    return decision;
  }

  /** Acts, and throws the refusal as an error when the command is refused. */
  must(userId: string, command: SimCommand, pmo = false) {
    const decision = this.act(userId, command, pmo);
    if (!decision.ok) {
      throw new Error(`refused: ${decision.rejection.code} ${decision.rejection.message}`);
    }
    return decision.result;
  }

  /** Moves the clock on by `ms` and fires what is due by then in one tick. */
  advance(ms: number): void {
    this.session = tickAt(this.session, this.session.now + ms);
  }

  notified(kind: Notification['kind']): Notification[] {
    return this.notifications.filter((n) => n.kind === kind);
  }
}
