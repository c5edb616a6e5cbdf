/**
 * What the repositories hand to the rest of the app (camelCase, booleans as booleans). Zod
 * schemas so the API can reuse them as response contracts; the row shapes are in schema.ts.
 */
import { z } from 'zod';
import { Notification, ProjectState } from '../workflows/model/state';
import { Slug, Template } from '../workflows/model/template';

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

/** Input of `insertUser`: id, flags and time default (random UUID, false, now). */
export const NewUser = User.pick({ name: true, email: true }).extend({
  id: z.string().min(1).optional(),
  pmo: z.boolean().optional(),
  admin: z.boolean().optional(),
  createdAt: z.number().optional(),
});
export type NewUser = z.infer<typeof NewUser>;

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
