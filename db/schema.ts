/**
 * Kysely table types of the app database (the one place hand-written types are allowed: they
 * mirror the migrations in `db/migrations/`). Portable column choices, the same in SQLite and
 * PostgreSQL so that one code path serves both:
 * - timestamps are epoch milliseconds in `bigint` columns (read back as JS numbers: the
 *   PostgreSQL pool parses int8 as number, safe up to year 287396);
 * - booleans are `integer` 0/1 (better-sqlite3 cannot bind JS booleans; PostgreSQL would
 *   return true/false) and the repositories map them to `boolean`;
 * - JSON is `text` (parsed and validated by the repositories).
 */
import type { ColumnType, Generated } from 'kysely';
import type { ListKeyColumns } from './list-keys';
import type { OpenActionsTable, ReadModelRevsTable } from './schema-open-actions';

export type { OpenActionsTable, ReadModelRevsTable };

/** 0 or 1: a boolean column (see the file comment). */
export type Flag = 0 | 1;

/**
 * A folded name: written with every name, but NULL in a row an older build wrote during a
 * rolling upgrade until it is caught up (db/name-fold-upgrade.ts).
 */
export type NameFolded = ColumnType<string | null, string, string>;

export interface UsersTable {
  id: string;
  name: string;
  /** `name` folded (db/name-fold.ts): what the directory searches and sorts by. */
  name_folded: NameFolded;
  /** Stored lower-cased, so uniqueness is case-insensitive. */
  email: string;
  pmo: Flag;
  admin: Flag;
  created_at: number;
  /** Set while the user is deactivated: no token, session or sign-in works. */
  deactivated_at: number | null;
}

export interface InboxItemsTable {
  id: string;
  user_id: string;
  project_id: string;
  node_id: string | null;
  kind: string;
  subject: string;
  text: string;
  notification_key: string;
  created_at: number;
  read_at: number | null;
  /** A delegate's copy: the delegator the notification was for; null for one's own. */
  for_user_id: string | null;
  /** The record-write attempt that put it here (db/fences.ts); null before 0008. */
  attempt: string | null;
  /** The notification's ordinal in its project (its key's `n…`); null before 0008. */
  note: number | null;
}

export interface AuditEntriesTable {
  project_id: string;
  seq: number;
  at: number;
  actor: string;
  action: string;
  node_id: string | null;
  reason: string | null;
  /** JSON object or null. */
  detail: string | null;
  /** The hash chain (db/audit-chain.ts): the previous entry's hash and this entry's. */
  prev_hash: string | null;
  hash: string | null;
  /** The record-write attempt that wrote it (db/fences.ts); '' before 0008. */
  attempt: Generated<string>;
}

/** Audit rows a newer record-write attempt superseded (append-only, see db/audit.ts). */
export interface AuditVoidsTable {
  project_id: string;
  seq: number;
  attempt: string;
  by_attempt: string;
  at: number;
}

/** Per project: the newest record-write attempt and where its write began (db/fences.ts). */
export interface RecordFencesTable {
  project_id: string;
  attempt: string;
  from_seq: number;
  from_note: number;
}

export interface NotificationDeliveriesTable {
  key: string;
  /** `webhook` or `email` (the inbox is idempotent by its own unique key). */
  channel: string;
  delivered_at: number;
}

/** With the list's keys (db/list-keys.ts: stage, stage_since, hypercare_due, over_budget). */
export interface ProjectsTable extends ListKeyColumns {
  id: string;
  name: string;
  /** `name` folded (db/name-fold.ts): what the name search reads. */
  name_folded: NameFolded;
  template_key: string;
  template_version: number;
  status: string;
  /** JSON array of node ids. */
  current: string;
  started_by: string;
  started_at: number;
  updated_at: number;
  ended_at: number | null;
  /** Audit sequence of the stored state; newer snapshots only. */
  seq: number;
  /** ProjectState as JSON. */
  state: string;
  /** The record-write attempt that wrote the snapshot; null when the API or a repair did. */
  attempt: Generated<string | null>;
  /** What its open actions, `progress` and list keys came from (actionsSource); null: again. */
  actions_of: Generated<string | null>;
  /** JSON ProgressSummary (workflows/model/progress.ts): where it stands, as lists show it. */
  progress: Generated<string | null>;
}

export interface ProjectParticipantsTable {
  project_id: string;
  user_id: string;
  role: string;
}

/** One row per user and project they take part in (any roles): "my projects" in order. */
/**
 * Open projects per template, node, pinned version and status (0030_stage_counts): kept by
 * triggers on `projects`; a row may stay at 0 once its last project left.
 */
export interface StageCountsTable {
  template_key: string;
  stage: string;
  template_version: number;
  status: string;
  n: number;
}

export interface ProjectMembersTable {
  user_id: string;
  project_id: string;
  /** The project's start time, epoch ms. */
  started_at: number;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  /** SHA-256 hex of the bearer token; the token itself is never stored. */
  token_hash: string;
  label: string | null;
  created_at: number;
  /** Updated at most once a minute (see db/tokens.ts). */
  last_used_at: number | null;
  revoked_at: number | null;
  /** Null: never expires (only the token set by GATEHOUSE_ADMIN_TOKEN). */
  expires_at: number | null;
  /** Defaults to `api`. */
  kind: Generated<TokenKind>;
  /** The first characters of a generated token (null for one the operator chose). */
  prefix: string | null;
}

/** `api`: made for a user; `bootstrap`: the first admin's; `demo`: the embedded demo's. */
export type TokenKind = 'api' | 'bootstrap' | 'demo';

export interface SessionsTable {
  /** SHA-256 hex of the cookie value. */
  id: string;
  user_id: string;
  via: 'sso' | 'token';
  token_id: string | null;
  csrf_token: string;
  /** JSON array of the roles the identity provider's roles claim gave (`pmo`, `admin`). */
  claimed_roles: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

export interface OidcLoginsTable {
  /** SHA-256 hex of the `state` parameter. */
  state_hash: string;
  /** SHA-256 hex of the cookie that binds the sign-in to the browser that started it. */
  browser_hash: string;
  code_verifier: string;
  nonce: string;
  redirect_uri: string;
  /** A path of the web app to return to. */
  return_to: string;
  created_at: number;
}

export interface AdminAuditTable {
  seq: number;
  at: number;
  /** A user id, or `cli` / `system`. */
  actor: string;
  action: string;
  /** The user (or token) acted on. */
  target: string | null;
  /** JSON object or null. */
  detail: string | null;
  prev_hash: string;
  hash: string;
}

export interface OidcIdentitiesTable {
  issuer: string;
  subject: string;
  user_id: string;
}

export interface TemplateDraftsTable {
  key: string;
  /** JSON object; may be an invalid template. */
  body: string;
  updated_at: number;
  updated_by: string;
}

export interface TemplateVersionsTable {
  key: string;
  version: number;
  /** JSON of a valid template; never updated. */
  body: string;
  published_at: number;
  published_by: string;
}

/** A project's long texts by digest (see TextRef in the model). */
export interface ProjectTextsTable {
  project_id: string;
  sha256: string;
  text: string;
  created_at: number;
}

/** Idempotency keys of project actions (model/idempotency.ts). */
export interface IdempotencyKeysTable {
  project_id: string;
  scope: string;
  fingerprint: string;
  /** CompactResult as JSON. */
  result: string;
  created_at: number;
  /** The record-write attempt that wrote it (db/fences.ts); null before 0008. */
  attempt: string | null;
  /** Audit seq of the action that used the key; null before 0008. */
  seq: number | null;
}

/** `POST /api/projects` requests with an Idempotency-Key: one project per (user, key). */
export interface ProjectStartsTable {
  user_id: string;
  key: string;
  fingerprint: string;
  project_id: string;
  created_at: number;
}

/** Record writes that failed for good (see activities' recordEffects). */
export interface DeadLettersTable {
  id: string;
  project_id: string;
  /** The effects that could not be written, as JSON. */
  entry: string;
  error: string;
  created_at: number;
  resolved_at: number | null;
  /** How `records repair` settled it. */
  resolution: string | null;
}

/** A user's part handed to a colleague for a period (out of office). */
export interface DelegationsTable {
  id: string;
  delegator_id: string;
  delegate_id: string;
  /** Null: every project of the delegator. */
  project_id: string | null;
  /** From (inclusive), epoch ms. */
  starts_at: number;
  /** Until (exclusive), epoch ms. */
  ends_at: number;
  created_at: number;
  revoked_at: number | null;
}

/** The change journal live updates read on SQLite (db/changes.ts); empty on PostgreSQL. */
export interface ChangesTable {
  id: Generated<number>;
  /** The change as JSON (db/changes.ts `Change`). */
  payload: string;
  at: number;
}

/** All tables of the app database. */
/** An impact analysis of a candidate template version (db/impact.ts). */
export interface ImpactJobsTable {
  id: string;
  template_key: string;
  /** JSON: `{template, version, draft}`. */
  candidate: string;
  created_by: string;
  created_at: number;
  total: number;
}

/** One project of an impact job, in list order; `class`/`result` null until analysed. */
export interface ImpactResultsTable {
  job_id: string;
  position: number;
  project_id: string;
  class: string | null;
  /** JSON ProjectImpact. */
  result: string | null;
  analysed_at: number | null;
}

/** A bulk migration of projects to a published version (db/migration-jobs.ts). */
export interface MigrationJobsTable {
  id: string;
  template_key: string;
  version: number;
  impact_job: string | null;
  created_by: string;
  created_at: number;
  total: number;
}

/** One project of a bulk migration, in list order; `pending` until its activity settles it. */
export interface MigrationItemsTable {
  job_id: string;
  position: number;
  project_id: string;
  status: string;
  code: string | null;
  reason: string | null;
  finished_at: number | null;
  /** The attempt in flight once its activity retries (0017); null while it never did. */
  attempts: number | null;
  /** The last error an attempt met, while retried and after. */
  last_error: string | null;
  /** When a `failed` row turned `migrated`: its Update landed after the job gave it up (0018). */
  settled_late_at: number | null;
  /**
   * The record-write attempt that settled it `migrated` and the key's seq (0019): a newer
   * attempt superseding that position turns it back. Null when no attempt settled it.
   */
  settled_attempt: string | null;
  settled_seq: number | null;
  /**
   * When the job answered `failed` after a record write had settled it `migrated`, while that
   * write could still be undone (0020): the row stays `migrated`, code and reason are the
   * answer, and it turns back to that answer should the write be undone.
   */
  answered_late_at: number | null;
}

export interface Database {
  users: UsersTable;
  inbox_items: InboxItemsTable;
  audit_entries: AuditEntriesTable;
  notification_deliveries: NotificationDeliveriesTable;
  projects: ProjectsTable;
  project_participants: ProjectParticipantsTable;
  project_members: ProjectMembersTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  oidc_logins: OidcLoginsTable;
  admin_audit: AdminAuditTable;
  oidc_identities: OidcIdentitiesTable;
  template_drafts: TemplateDraftsTable;
  template_versions: TemplateVersionsTable;
  project_texts: ProjectTextsTable;
  idempotency_keys: IdempotencyKeysTable;
  project_starts: ProjectStartsTable;
  dead_letters: DeadLettersTable;
  delegations: DelegationsTable;
  audit_voids: AuditVoidsTable;
  record_fences: RecordFencesTable;
  changes: ChangesTable;
  open_actions: OpenActionsTable;
  read_model_revs: ReadModelRevsTable;
  impact_jobs: ImpactJobsTable;
  impact_results: ImpactResultsTable;
  migration_jobs: MigrationJobsTable;
  migration_items: MigrationItemsTable;
  stage_counts: StageCountsTable;
}
