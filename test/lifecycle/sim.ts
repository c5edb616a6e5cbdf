/** A tiny virtual-time driver over the pure interpreter, for unit tests. */
import { decide, startProject, tick, type Decision, type Machine } from '../../workflows/lifecycle';
import type {
  Command,
  Notification,
  AuditEntry,
  Template,
  Participants,
} from '../../workflows/model';

export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

type Cmd = Command extends infer C ? (C extends Command ? Omit<C, 'actor'> : never) : never;

export class Sim {
  machine: Machine;
  now = T0;
  readonly notifications: Notification[] = [];
  readonly audits: AuditEntry[] = [];

  constructor(template: Template, participants: Participants, startedBy = 'pmo-1') {
    const started = startProject(
      { projectId: 'p1', name: 'Project One', template, version: 1, participants, startedBy },
      this.now,
    );
    this.machine = started.machine;
    this.record(started.effects);
  }

  get state() {
    return this.machine.state;
  }

  act(userId: string, command: Cmd, pmo = false): Decision {
    const decision = decide(this.machine, { ...command, actor: { userId, pmo } }, this.now);
    if (decision.ok) {
      this.machine = decision.machine;
      this.record(decision.effects);
    }
    return decision;
  }

  /** Acts and fails the test with the refusal when the action is refused. */
  must(userId: string, command: Cmd, pmo = false) {
    const decision = this.act(userId, command, pmo);
    if (!decision.ok)
      throw new Error(`refused: ${decision.rejection.code} ${decision.rejection.message}`);
    return decision.result;
  }

  advance(ms: number): void {
    this.now += ms;
    const fired = tick(this.machine, this.now);
    this.machine = fired.machine;
    this.record(fired.effects);
  }

  notified(kind: Notification['kind']): Notification[] {
    return this.notifications.filter((n) => n.kind === kind);
  }

  private record(effects: { audits: AuditEntry[]; notifications: Notification[] }) {
    this.audits.push(...effects.audits);
    this.notifications.push(...effects.notifications);
  }
}
