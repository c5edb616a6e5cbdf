/**
 * The working context of one interpreter step: a private copy of the state, the pinned
 * template, the step's instant and actor, and the effects (audit, notifications) it emits.
 * Handlers mutate the copy freely; `decide`/`tick` only publish it when the step succeeds.
 */
import type {
  AuditEntry,
  Deadline,
  Node,
  NodeRecord,
  Notification,
  ProjectState,
  RejectionCode,
  RoleKey,
  Template,
} from '../model';

/** Thrown by a handler to refuse an action; never escapes the interpreter. */
export class Refusal extends Error {
  constructor(
    readonly code: RejectionCode,
    message: string,
    readonly path?: (string | number)[],
  ) {
    super(message);
  }
}

export function refuse(code: RejectionCode, message: string, path?: (string | number)[]): never {
  throw new Refusal(code, message, path);
}

/** Who should receive a notification, before resolution to user ids. */
export interface Audience {
  roles?: readonly RoleKey[];
  users?: readonly string[];
  /** The PMO who started the project. */
  pmo?: boolean;
  /** Every participant. */
  everyone?: boolean;
}

const TIMELINE_LIMIT = 200;

export class Step {
  readonly audits: AuditEntry[] = [];
  readonly notifications: Notification[] = [];

  constructor(
    readonly state: ProjectState,
    public template: Template,
    readonly now: number,
    readonly actor: string,
  ) {}

  node(nodeId: string): Node {
    const node = this.template.nodes.find((n) => n.id === nodeId);
    if (!node) refuse('unknown_node', `no node "${nodeId}" in this template`, ['nodeId']);
    return node;
  }

  record(nodeId: string): NodeRecord {
    let rec = this.state.nodes[nodeId];
    if (!rec) {
      rec = { status: 'pending', visits: 0, deliverables: {}, votes: [], decisions: [] };
      this.state.nodes[nodeId] = rec;
    }
    return rec;
  }

  roleName(role: RoleKey): string {
    return this.template.roles.find((r) => r.key === role)?.name ?? role;
  }

  /** Roles the given user holds in this project. */
  rolesOf(userId: string): RoleKey[] {
    return Object.entries(this.state.participants)
      .filter(([, users]) => users.includes(userId))
      .map(([role]) => role);
  }

  isParticipant(userId: string): boolean {
    return this.rolesOf(userId).length > 0;
  }

  /** Appends an audit entry (and its timeline copy) attributed to `actor` by default. */
  audit(
    action: string,
    fields: {
      nodeId?: string;
      reason?: string;
      detail?: Record<string, unknown>;
      actor?: string;
    } = {},
  ): void {
    const entry: AuditEntry = {
      projectId: this.state.id,
      seq: this.state.seq++,
      at: this.now,
      actor: fields.actor ?? this.actor,
      action,
      ...(fields.nodeId !== undefined && { nodeId: fields.nodeId }),
      ...(fields.reason !== undefined && { reason: fields.reason }),
      ...(fields.detail !== undefined && { detail: fields.detail }),
    };
    this.audits.push(entry);
    const { projectId: _projectId, ...timelineEntry } = entry;
    this.state.timeline.push(timelineEntry);
    if (this.state.timeline.length > TIMELINE_LIMIT) {
      this.state.timeline.splice(0, this.state.timeline.length - TIMELINE_LIMIT);
    }
  }

  /** Queues a notification for every channel; skipped when nobody is addressed. */
  notify(
    kind: Notification['kind'],
    audience: Audience,
    subject: string,
    text: string,
    nodeId?: string,
  ): void {
    const recipients = this.resolve(audience);
    if (recipients.length === 0) return;
    this.notifications.push({
      key: `${this.state.id}:n${this.state.notified++}`,
      projectId: this.state.id,
      projectName: this.state.name,
      kind,
      ...(nodeId !== undefined && { nodeId }),
      recipients,
      subject: `${this.state.name}: ${subject}`,
      text,
      at: this.now,
    });
  }

  private resolve(audience: Audience): string[] {
    const users = new Set<string>(audience.users ?? []);
    const roles = audience.everyone ? Object.keys(this.state.participants) : (audience.roles ?? []);
    for (const role of roles) for (const u of this.state.participants[role] ?? []) users.add(u);
    if (audience.pmo) users.add(this.state.startedBy);
    return [...users];
  }

  schedule(deadline: Deadline): void {
    this.state.deadlines = this.state.deadlines.filter((d) => d.id !== deadline.id);
    this.state.deadlines.push(deadline);
  }

  cancelDeadlines(match: (d: Deadline) => boolean): void {
    this.state.deadlines = this.state.deadlines.filter((d) => !match(d));
  }
}

/** Renders an instant for people; UTC keeps it deterministic. */
export function when(at: number): string {
  return new Date(at).toISOString().replace('.000Z', 'Z');
}
