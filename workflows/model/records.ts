/**
 * The read-model records: what the app database hands to the rest of the app and what the API
 * answers with (camelCase, booleans as booleans). Zod schemas here, beside the model they
 * derive from, so that the database layer and the API contract (which the designer bundles)
 * share one definition; the row shapes are in db/schema.ts.
 */
import { z } from 'zod';
import { ProgressSummary } from './progress';
import { Notification, ProjectState } from './state';
import { Slug, Template } from './template';

/** A Gatehouse user (SPEC §4: id, name, email, admin / pmo flags). */
export const User = z.object({
  id: z.string(),
  name: z.string(),
  /** Lower-cased on write: e-mail uniqueness is case-insensitive. */
  email: z.string(),
  pmo: z.boolean(),
  admin: z.boolean(),
  /** False while deactivated: nothing signs the user in. */
  active: z.boolean(),
  /** Epoch milliseconds. */
  createdAt: z.number(),
});
export type User = z.infer<typeof User>;

/** A user as the directory lists it (SPEC §4 `GET /api/users`). */
export const DirectoryEntry = User.pick({ id: true, name: true, email: true, active: true });
export type DirectoryEntry = z.infer<typeof DirectoryEntry>;

/** One notification in one user's in-app inbox. */
export const InboxItem = z.object({
  id: z.string(),
  userId: z.string(),
  projectId: z.string(),
  nodeId: z.string().optional(),
  kind: Notification.shape.kind,
  subject: z.string(),
  text: z.string(),
  /** The notification's idempotency key. */
  key: z.string(),
  /** When the notification was raised (epoch ms). */
  createdAt: z.number(),
  readAt: z.number().optional(),
  /** A delegate's copy of a notification for this user (the delegator). */
  forUserId: z.string().optional(),
});
export type InboxItem = z.infer<typeof InboxItem>;

/** One user's inbox in numbers: everything, and per project and kind (for filters). */
export const InboxSummary = z.object({
  total: z.number().int(),
  unread: z.number().int(),
  projects: z.array(
    z.object({
      id: z.string(),
      /** From the read model; the id when the project is not (or no longer) in it. */
      name: z.string(),
      total: z.number().int(),
      unread: z.number().int(),
    }),
  ),
  kinds: z.array(
    z.object({ kind: InboxItem.shape.kind, total: z.number().int(), unread: z.number().int() }),
  ),
});
export type InboxSummary = z.infer<typeof InboxSummary>;

/** A page of a list: `nextCursor` is absent on the last page (SPEC §4 list shape). */
export function Page<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    /** Pass as `cursor` for the next page; absent on the last page. */
    nextCursor: z.string().optional(),
  });
}
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** A project in a list: the state's headline fields, without the per-node records. */
export const ProjectSummary = ProjectState.pick({
  id: true,
  name: true,
  template: true,
  status: true,
  current: true,
  startedBy: true,
  startedAt: true,
  updatedAt: true,
  endedAt: true,
}).extend({
  /**
   * Where it stands as the lists show it (node names and since when, hypercare, cost against
   * budget), kept by the record write: a list answers it without asking Temporal.
   */
  progress: ProgressSummary.optional(),
});
export type ProjectSummary = z.infer<typeof ProjectSummary>;

/** A draft's body: any JSON object, possibly an invalid template (the designer saves often). */
export const DraftBody = z.record(z.string(), z.unknown());
export type DraftBody = z.infer<typeof DraftBody>;

/** The editable draft of a template: one per key, overwritten on every save. */
export const TemplateDraft = z.object({
  key: Slug,
  body: DraftBody,
  /** Epoch milliseconds of the last save. */
  updatedAt: z.number(),
  /** User id of the last save. */
  updatedBy: z.string(),
});
export type TemplateDraft = z.infer<typeof TemplateDraft>;

/** A published template version without its body (version lists). */
export const TemplateVersionInfo = z.object({
  key: Slug,
  /** 1, 2, 3… per key; projects pin it. */
  version: z.number().int().min(1),
  /** The template's display name in this version. */
  name: z.string(),
  /** Epoch milliseconds. */
  publishedAt: z.number(),
  /** User id of the publisher (`system` for seeded built-ins). */
  publishedBy: z.string(),
  /** The publisher's name, in version lists (absent for `system`). */
  publishedByName: z.string().optional(),
});
export type TemplateVersionInfo = z.infer<typeof TemplateVersionInfo>;

/** A published, immutable template version. */
export const TemplateVersion = TemplateVersionInfo.extend({ template: Template });
export type TemplateVersion = z.infer<typeof TemplateVersion>;

/** One template in the list (SPEC §4: key, name, latest version, draft?). */
export const TemplateSummary = z.object({
  key: Slug,
  /** From the latest version, else from the draft (the key when the draft has no name). */
  name: z.string(),
  /** Absent while the template only exists as a draft. */
  latestVersion: z.number().int().min(1).optional(),
  hasDraft: z.boolean(),
  /** Epoch ms of the latest draft save or publication, whichever is later. */
  updatedAt: z.number(),
});
export type TemplateSummary = z.infer<typeof TemplateSummary>;

/** Every action the admin trail records. */
export const ADMIN_ACTIONS = [
  'user.created',
  'user.updated',
  'user.deactivated',
  'user.reactivated',
  'user.role_granted',
  'user.role_removed',
  'user.sso_linked',
  'token.created',
  'token.revoked',
  'token.bootstrap_rotated',
  'delegation.created',
  'delegation.revoked',
] as const;
export type AdminAction = (typeof ADMIN_ACTIONS)[number];

/** One entry of the admin trail as the API lists it. */
export const AdminAuditEntry = z.object({
  seq: z.number().int(),
  /** Epoch milliseconds. */
  at: z.number(),
  /** The acting user's id, or `cli` (an operator at the command line) or `system`. */
  actor: z.string(),
  action: z.enum(ADMIN_ACTIONS),
  /** The user or token acted on. */
  target: z.string().optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type AdminAuditEntry = z.infer<typeof AdminAuditEntry>;

/** What a token list shows: everything but the secret. */
export const TokenInfo = z.object({
  id: z.string(),
  label: z.string().optional(),
  kind: z.enum(['api', 'bootstrap', 'demo']),
  /** The token's first characters (`gh_` and five more), to tell tokens apart. */
  prefix: z.string().optional(),
  createdAt: z.number(),
  lastUsedAt: z.number().optional(),
  /** Absent: never expires (only the token of GATEHOUSE_ADMIN_TOKEN). */
  expiresAt: z.number().optional(),
  revokedAt: z.number().optional(),
  status: z.enum(['active', 'expired', 'revoked']),
});
export type TokenInfo = z.infer<typeof TokenInfo>;

/** One participant of a project: who, in which roles, and whether they can still act. */
export const ProjectPerson = z.object({
  userId: z.string(),
  name: z.string(),
  roles: z.array(z.string()),
  active: z.boolean(),
});
export type ProjectPerson = z.infer<typeof ProjectPerson>;
