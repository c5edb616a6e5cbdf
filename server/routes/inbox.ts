/**
 * The caller's in-app notifications: the list (filtered by project, kind, unread), read marks,
 * counts for the navigation and filters, and a live stream of those counts. What the caller
 * must act on (`GET /api/inbox`) is computed from the projects, in routes/projects.ts.
 */
import type { Kysely } from 'kysely';
import {
  inboxVersion,
  listFeedback,
  listInbox,
  markAllRead,
  markItemsRead,
  summarizeInbox,
  type Database,
} from '../../db';
import type { PendingAction } from '../../workflows/lifecycle';
import type { Handlers } from '../app';
import { HttpProblem } from '../problem';
import { userKey } from '../changes';
import { serveChanges } from './events';

/**
 * A to-do page with each feedback item's kind and text, from the audit trail of the projects
 * that have one on the page (one read each), so the inbox shows what was posted.
 */
export async function withFeedbackTexts<T extends PendingAction>(
  db: Kysely<Database>,
  items: T[],
): Promise<T[]> {
  const projects = new Set(
    items.filter((a) => a.action === 'answer-feedback').map((a) => a.projectId),
  );
  const posted = new Map<string, { kind: 'feedback' | 'lesson'; text: string }>();
  for (const projectId of projects) {
    for (const f of await listFeedback(db, projectId)) {
      if (f.text !== undefined)
        posted.set(`${projectId}\u001f${f.id}`, { kind: f.kind, text: f.text });
    }
  }
  return items.map((a) => {
    const feedback =
      a.action === 'answer-feedback'
        ? posted.get(`${a.projectId}\u001f${a.itemId ?? ''}`)
        : undefined;
    return feedback ? { ...a, feedback } : a;
  });
}

export const inboxHandlers: Handlers<
  'notifications' | 'markRead' | 'inboxSummary' | 'inboxEvents'
> = {
  async notifications({ deps, user, query }) {
    return listInbox(deps.db, user!.id, {
      ...(query.cursor !== undefined && { cursor: query.cursor }),
      ...(query.limit !== undefined && { limit: query.limit }),
      ...(query.unread === 'true' && { unreadOnly: true }),
      ...(query.project !== undefined && { projectId: query.project }),
      ...(query.kind !== undefined && { kind: query.kind }),
    });
  },

  async markRead({ deps, user, body }) {
    let marked: number;
    if (body.all) {
      marked = await markAllRead(deps.db, user!.id);
    } else {
      const ids = body.ids ?? [];
      const result = await markItemsRead(deps.db, user!.id, ids);
      if (!result.ok) {
        const unknown = new Set(result.unknown);
        throw new HttpProblem(
          422,
          'unknown_notification',
          `${result.unknown.length} of these are not notifications of yours; none was marked`,
          ids.flatMap((id, i) =>
            unknown.has(id)
              ? [
                  {
                    path: ['body', 'ids', i],
                    code: 'unknown_notification',
                    message: `no notification "${id}" in your inbox`,
                  },
                ]
              : [],
          ),
        );
      }
      marked = result.marked;
    }
    const { unread } = await summarizeInbox(deps.db, user!.id);
    return { marked, unread };
  },

  async inboxSummary({ deps, user }) {
    return summarizeInbox(deps.db, user!.id);
  },

  /**
   * `event: inbox` with the counts whenever they may have changed, and `actions`, a value
   * that changes when the caller's to-do list (`GET /api/inbox`) may have: the client
   * fetches that list again then. The event id is the pair, so a reconnecting client hears
   * only of a change it missed.
   */
  async inboxEvents({ req, res, deps, user, principal, app }) {
    // The user's own changes, and those of whoever they stand in for now (their sign-offs
    // are in this user's to-do list): learnt at each read.
    let keys = [userKey(user!.id)];
    await serveChanges(
      req,
      res,
      {
        keys: () => keys,
        async next(last) {
          const version = await inboxVersion(deps.db, user!.id);
          keys = [user!.id, ...version.standsInFor].map(userKey);
          const id = `${version.items}:${version.actions}`;
          if (id === last) return { frames: [] };
          const summary = await summarizeInbox(deps.db, user!.id);
          return {
            frames: [{ id, event: 'inbox', data: { ...summary, actions: version.actions } }],
          };
        },
      },
      app,
      principal!,
    );
  },
};
