/**
 * What the repositories hand to the rest of the app (camelCase, booleans as booleans). Zod
 * schemas so the API can reuse them as response contracts; the row shapes are in schema.ts.
 */
import { z } from 'zod';
import { Notification } from '../workflows/model/state';

/** A Gatehouse user (SPEC §4: id, name, email, admin / pmo flags). */
export const User = z.object({
  id: z.string(),
  name: z.string(),
  /** Lower-cased on write: e-mail uniqueness is case-insensitive. */
  email: z.string(),
  pmo: z.boolean(),
  admin: z.boolean(),
  /** Epoch milliseconds. */
  createdAt: z.number(),
});
export type User = z.infer<typeof User>;

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
});
export type InboxItem = z.infer<typeof InboxItem>;

/** A page of a list: `nextCursor` is absent on the last page (SPEC §4 list shape). */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}
