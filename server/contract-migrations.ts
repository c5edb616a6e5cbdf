/**
 * Bulk migration (issue 15): many running projects of a template moved to a published version
 * in one PMO action, chosen by hand or from an impact analysis; a durable job polled for its
 * progress and its failures. Part of the one route table (server/contract.ts `routes`).
 */
import { z } from 'zod';
import { MAX_BULK_MIGRATION, MigrationItemStatus, Slug } from '../workflows/model';
import { Cursor, Id, Limit, type RouteSpec } from './contract-fields';

const ProjectIds = z.array(Id).min(1).max(MAX_BULK_MIGRATION);

/**
 * A version and the projects to move to it; or a finished impact analysis (its version, once
 * published) and the projects among it to move, by default every one it found `unchanged`.
 */
export const MigrationBody = z.union([
  z.object({ version: z.number().int().min(1), projectIds: ProjectIds }).strict(),
  z.object({ impactJob: Id, projectIds: ProjectIds.optional() }).strict(),
]);
export type MigrationBody = z.infer<typeof MigrationBody>;

export const MigrationItemView = z.object({
  projectId: z.string(),
  status: MigrationItemStatus,
  /**
   * A failed project's refusal: its code and why; or, when its budget of attempts and time was
   * spent (`retries_exhausted`) or an attempt failed beyond retrying (`migration_error`), its
   * attempts and last error.
   */
  code: z.string().optional(),
  reason: z.string().optional(),
  /** Once its migration was retried: the attempt in flight (pending) or the last one. */
  attempts: z.number().int().optional(),
  /** The last error an attempt met: a pending project's shows why it is being retried. */
  lastError: z.string().optional(),
  /**
   * When its Update landed after the job had given it up (ISO 8601): Temporal had admitted it
   * before the attempt that sent it died. The project moved, so it is `migrated`; code,
   * reason, attempts and last error still say why it had been given up.
   */
  settledLate: z.string().optional(),
  /**
   * When the job answered `failed` (code and reason) after the project's own record write had
   * settled it `migrated` (ISO 8601), a write that could still be undone then: the project
   * moved, so it is `migrated`; should that write be undone, it turns back to `failed` with this
   * answer.
   */
  answeredLate: z.string().optional(),
  /**
   * True while it stands `migrated` by a record write of the project that may still be undone
   * (the workflow task that wrote it may still fail): it may turn back, to `failed` (when the
   * job had answered, `settledLate` or `answeredLate`) or to `pending`. Absent otherwise.
   */
  provisional: z.boolean().optional(),
});

/** A bulk migration: its progress, counts per status and a page of its projects. */
export const MigrationView = z.object({
  job: z.object({
    id: z.string(),
    templateKey: z.string(),
    version: z.number().int(),
    /** The impact analysis the projects came from, if any. */
    impactJob: z.string().optional(),
    /**
     * `running` while any project awaits the job's answer: it is pending, or a record write of
     * the project that may still be undone settled it before the job answered. Every project
     * is answered within its budget; then `done`, and only the `provisional` rows (and a
     * project given up whose Update lands late: `settledLate`) may still change.
     */
    status: z.enum(['running', 'done']),
    total: z.number().int(),
    migrated: z.number().int(),
    failed: z.number().int(),
    pending: z.number().int(),
    /** Of the migrated: those whose Update landed after the job had given them up. */
    settledLate: z.number().int(),
    /**
     * Of the migrated: those settled by a project's record write that may still be undone
     * (until the project writes again): each may still turn back to `failed` (or `pending`
     * while the job runs), so a watcher looks again while this is not 0.
     */
    provisional: z.number().int(),
    createdAt: z.string(),
  }),
  items: z.array(MigrationItemView),
  nextCursor: z.string().optional(),
});
export type MigrationView = z.infer<typeof MigrationView>;

export const migrationRoutes = {
  startMigration: {
    method: 'post',
    path: '/api/templates/:key/migrations',
    summary:
      'Migrate many running projects of the template to a published version in one job ' +
      '(202; poll the job): each project by its own migrate Update, audited',
    access: 'pmo',
    params: z.object({ key: Slug }),
    body: MigrationBody,
    status: 202,
    response: MigrationView,
    problems: {
      404: ['not_found'],
      409: [
        'impact_running',
        'version_not_published',
        'impact_outdated',
        'project_blocked',
        'wrong_template',
        'project_closed',
        'nothing_to_migrate',
      ],
      422: [
        'unknown_version',
        'invalid_template',
        'unknown_project',
        'duplicate_project',
        'not_in_impact',
      ],
      503: ['temporal_unavailable'],
    },
  },
  getMigration: {
    method: 'get',
    path: '/api/templates/:key/migrations/:job',
    summary: "A bulk migration's progress and a page of its projects (failed ones: ?status=failed)",
    access: 'pmo',
    params: z.object({ key: Slug, job: Id }),
    query: z.object({ cursor: Cursor, limit: Limit, status: MigrationItemStatus.optional() }),
    status: 200,
    response: MigrationView,
    problems: { 404: ['not_found'] },
  },
} as const satisfies Record<string, RouteSpec>;
