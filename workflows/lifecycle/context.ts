/**
 * The working context of one interpreter step: a private copy of the state, the pinned
 * template, the step's instant and actor, and the effects (audit, notifications) it emits.
 * Handlers mutate the copy freely, node records only as `record` hands them out (it copies
 * each on first use; `peek` reads one); `decide`/`tick` only publish it when the step succeeds.
 */
import { sha256Hex } from '../model/idempotency';
import type {
  AuditEntry,
  Deadline,
  KeyRecord,
  Node,
  NodeRecord,
  Notification,
  ProjectState,
  RejectionCode,
  RoleKey,
  StoredText,
  Template,
  TextRef,
  TimelineEntry,
} from '../model';

/** Thrown by a handler to refuse an action; never escapes the interpreter. */
export class Refusal extends Error {
  constructor(
    readonly code: RejectionCode,
    message: string,
    readonly path?: (string | number)[],
    readonly errors?: { path: (string | number)[]; code: string; message: string }[],
  ) {
    super(message);
  }
}

export function refuse(
  code: RejectionCode,
  message: string,
  path?: (string | number)[],
  errors?: Refusal['errors'],
): never {
  throw new Refusal(code, message, path, errors);
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

/**
 * Patch id: a monitor entered again numbers its KPI reviews on from its earlier visits, and a
 * review entered again caps the decisions of the current visit only (Step.revisitCounts).
 */
export const REVISIT_COUNTS = 'revisit-counts';

/** Audit entries the state keeps for the live view (the database keeps the whole trail). */
export const TIMELINE_LIMIT = 50;
/** Longest string a timeline entry keeps, in characters. */
const TIMELINE_TEXT = 200;

export class Step {
  readonly audits: AuditEntry[] = [];
  readonly notifications: Notification[] = [];
  /** Long texts to write to the app database with this step's audit entries. */
  readonly texts: StoredText[] = [];
  /** Idempotency keys to write to the app database likewise. */
  readonly keys: KeyRecord[] = [];

  /**
   * Node records this step has its own copy of. The state the step works on shares the others
   * with the state it came from (see `copyState` in ./machine.ts): they are only read.
   */
  private readonly owned = new Set<string>();

  /**
   * Patch `revisit-counts` is in effect: a monitor entered again numbers its KPI reviews on
   * from its earlier visits, and a review entered again caps the decisions of this visit only.
   * False in runs begun before it (`DecideOptions.legacyRevisitCounts`).
   */
  revisitCounts = true;

  /**
   * Patch `hypercare-exit-notices` is in effect: an escalation of an unaccepted hypercare exit
   * says whose acceptance is missing and what the reader can do. False in runs begun before it
   * (`DecideOptions.legacyExitNotices`).
   */
  exitNotices = true;

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

  /** The node's record, this step's own to change (created pending if the node had none). */
  record(nodeId: string): NodeRecord {
    const shared = this.state.nodes[nodeId];
    if (shared && this.owned.has(nodeId)) return shared;
    const rec: NodeRecord = shared
      ? structuredCopy(shared)
      : { status: 'pending', visits: 0, deliverables: {}, votes: [], decisions: [] };
    this.state.nodes[nodeId] = rec;
    this.owned.add(nodeId);
    return rec;
  }

  /** The node's record to read only (none before the node has one). */
  peek(nodeId: string): Readonly<NodeRecord> | undefined {
    return this.state.nodes[nodeId];
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
    this.state.timeline.push(frozen(timelineEntryOf(entry)));
    if (this.state.timeline.length > TIMELINE_LIMIT) {
      this.state.timeline.splice(0, this.state.timeline.length - TIMELINE_LIMIT);
    }
  }

  /**
   * Queues a notification for every channel; skipped when nobody is addressed. `people`: the
   * ids of the people subject and text mention (`mention`, ../model/people.ts).
   */
  notify(
    kind: Notification['kind'],
    audience: Audience,
    subject: string,
    text: string,
    nodeId?: string,
    people?: readonly string[],
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
      ...(people !== undefined && people.length > 0 && { people: [...people] }),
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

  /** Keeps `text` in the app database (written with this step's effects) and names it. */
  storeText(text: string): TextRef {
    const sha256 = sha256Hex(text);
    if (!this.texts.some((t) => t.sha256 === sha256)) {
      this.texts.push({ projectId: this.state.id, sha256, text });
    }
    return { length: text.length, sha256 };
  }

  schedule(deadline: Deadline): void {
    this.state.deadlines = this.state.deadlines.filter((d) => d.id !== deadline.id);
    this.state.deadlines.push(deadline);
  }

  cancelDeadlines(match: (d: Deadline) => boolean): void {
    this.state.deadlines = this.state.deadlines.filter((d) => !match(d));
  }
}

/**
 * An audit entry as the timeline keeps it: long strings shortened, so that the state stays
 * small whatever the entry says (the audit trail in the database has it whole).
 */
/**
 * `value`, deeply frozen: for entries of the state that decisions share instead of copying
 * (machine.ts, copyState), so that changing one in place throws instead of changing the state
 * a decision came from.
 */
export function frozen<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const field of Object.values(value)) frozen(field);
    Object.freeze(value);
  }
  return value;
}

export function timelineEntryOf(entry: AuditEntry | TimelineEntry): TimelineEntry {
  const { projectId: _projectId, ...rest } = entry as AuditEntry;
  const { reason, detail, ...kept } = rest;
  return {
    ...kept,
    ...(reason !== undefined && { reason: shorten(reason) }),
    ...(detail !== undefined && { detail: shortened(detail) as Record<string, unknown> }),
  };
}

function shorten(text: string): string {
  return text.length <= TIMELINE_TEXT ? text : `${text.slice(0, TIMELINE_TEXT - 1)}…`;
}

function shortened(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return shorten(value);
  if (Array.isArray(value)) {
    if (depth >= 2) return `[${value.length} items]`;
    const kept = value.slice(0, 5).map((v) => shortened(v, depth + 1));
    return value.length > 5 ? [...kept, `… ${value.length - 5} more`] : kept;
  }
  if (value !== null && typeof value === 'object') {
    if (depth >= 2) return '{…}';
    const entries = Object.entries(value);
    const kept = entries.slice(0, 20).map(([k, v]) => [k, shortened(v, depth + 1)]);
    return Object.fromEntries(entries.length > 20 ? [...kept, ['…', entries.length - 20]] : kept);
  }
  return value;
}

/** Renders an instant for people; UTC keeps it deterministic. */
export function when(at: number): string {
  return new Date(at).toISOString().replace('.000Z', 'Z');
}

/**
 * A deep copy of plain JSON state, as a JSON round trip makes it (keys holding `undefined`
 * left out), at a quarter of its cost.
 * (structuredClone is not available in every sandbox.)
 */
export function structuredCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.map(structuredCopy) as T;
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const field = (value as Record<string, unknown>)[key];
    if (field !== undefined) copy[key] = structuredCopy(field);
  }
  return copy as T;
}
