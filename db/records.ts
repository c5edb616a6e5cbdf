/**
 * What the repositories hand to the rest of the app. The read-model records are the model's
 * (workflows/model/records.ts), shared with the API contract; what only the database takes as
 * input is here.
 */
import { z } from 'zod';
import { User } from '../workflows/model/records';

export {
  DirectoryEntry,
  DraftBody,
  InboxItem,
  InboxSummary,
  Page,
  ProjectSummary,
  TemplateDraft,
  TemplateSummary,
  TemplateVersion,
  TemplateVersionInfo,
  User,
} from '../workflows/model/records';

/** Input of `insertUser`: id, flags and time default (random UUID, false, now). */
export const NewUser = User.pick({ name: true, email: true }).extend({
  id: z.string().min(1).optional(),
  pmo: z.boolean().optional(),
  admin: z.boolean().optional(),
  createdAt: z.number().optional(),
});
export type NewUser = z.infer<typeof NewUser>;
