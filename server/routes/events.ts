/**
 * Server-Sent Events. One mechanism, `serveChanges`, serves every stream: it reads a feed when
 * the process's change feed (server/changes.ts) says one of the feed's keys changed (never
 * Temporal, never on a timer), writes what the feed answers, keeps the connection alive with
 * comments, ends the stream of a caller no longer signed in (revoked, expired, deactivated:
 * checked for every stream of the process together) and stops when the client goes or the
 * feed ends. An idle stream costs no query.
 *
 * - `GET /api/projects/:id/events`: the project's state. The event id is the state's audit
 *   sequence (marked once the project was ended outside Gatehouse: {@link stateEventId}), so a
 *   client reconnecting with `Last-Event-ID` gets the current state at once if it missed
 *   anything, and nothing twice.
 * - `GET /api/inbox/events` (routes/inbox.ts): the caller's inbox counts.
 */
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { getProjectMark, getProjectState, getUsersByIds } from '../../db';
import type { ProjectStatus } from '../../workflows/model';
import type { AppServices, CtxFor } from '../app';
import type { Principal } from '../auth';
import { withRoles } from '../oidc/identity';
import { HttpProblem } from '../problem';
import { projectKey } from '../changes';
import {
  STREAM_RETRY_MS,
  type ClosedStatus,
  type FrameOf,
  type RouteName,
  type routes,
  type SignedOut,
} from '../contract';
import { hydrateState } from './hydrate';

const HEARTBEAT_MS = 15_000;
/** How often the callers of open streams are asked whether they are still signed in. */
export const RECHECK_MS = 5_000;

/**
 * One message of a stream: an event the contract declares for a stream
 * (server/contract-events.ts), its data of that event's schema, and the id where the event has
 * one (what the client hands back as `Last-Event-ID`).
 */
export type Frame = FrameOf<
  Extract<(typeof routes)[RouteName], { response: 'event-stream' }>['events']
>;

/**
 * A source of frames: `next` is asked at first and whenever one of its `keys` changed, with
 * the id of the last frame sent (the client's `Last-Event-ID` at first), and answers what to
 * send now; `done` ends the stream. `keys` is read again after each `next` (what a stream
 * watches may change: a delegation that starts).
 */
export interface ChangeFeed {
  next(lastId: string | undefined): Promise<{ frames: Frame[]; done?: boolean }>;
  keys(): readonly string[];
}

/** The `Last-Event-ID` a reconnecting client sent, if any. */
export function lastEventId(req: Request): string | undefined {
  const header = req.headers['last-event-id'];
  return typeof header === 'string' && header !== '' ? header : undefined;
}

/**
 * Streams `feed` to the client until it disconnects or the feed is done. A caller no longer
 * signed in gets `event: signed-out` and the end of the stream (a reconnect meets the 401 and
 * the web app asks them to sign in). Where the app has an `inspectStream` (tests), it sees
 * each piece of text as written; without one, writing costs nothing more.
 */
export async function serveChanges(
  req: Request,
  res: Response,
  feed: ChangeFeed,
  app: Pick<AppServices, 'changes' | 'signIns' | 'inspectStream'>,
  principal: Principal,
): Promise<void> {
  const inspect = app.inspectStream?.(req.originalUrl);
  const write = inspect
    ? (text: string) => {
        res.write(text);
        inspect(text);
      }
    : (text: string) => void res.write(text);
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  write(`retry: ${STREAM_RETRY_MS}\n\n`);
  let sent = lastEventId(req);
  let closed = false;
  let changed = true; // the first read answers what the client missed, if anything
  let signedOut = false;
  let wake: (() => void) | undefined;
  const poke = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  req.on('close', () => {
    closed = true;
    poke();
  });
  const subscription = app.changes.subscribe(() => {
    changed = true;
    poke();
  });
  const unwatch = app.signIns.watch(principal, () => {
    signedOut = true;
    poke();
  });
  let lastWrite = Date.now();
  try {
    subscription.watch(feed.keys());
    while (!closed) {
      if (signedOut) {
        const data: z.output<typeof SignedOut> = {};
        write(`event: signed-out\ndata: ${JSON.stringify(data)}\n\n`);
        break;
      }
      if (changed) {
        changed = false;
        const { frames, done } = await feed.next(sent);
        subscription.watch(feed.keys());
        for (const frame of frames) {
          const id = frame.id === undefined ? '' : `id: ${frame.id}\n`;
          write(`${id}event: ${frame.event}\ndata: ${JSON.stringify(frame.data)}\n\n`);
          if (frame.id !== undefined) sent = frame.id;
          lastWrite = Date.now();
        }
        if (done) break;
        continue;
      }
      if (Date.now() - lastWrite >= HEARTBEAT_MS) {
        write(': keep-alive\n\n');
        lastWrite = Date.now();
      }
      // Nothing runs between the checks above and `wake` being set: no change is missed.
      const timer = setTimeout(poke, HEARTBEAT_MS - (Date.now() - lastWrite));
      await new Promise<void>((resolve) => (wake = resolve));
      clearTimeout(timer);
    }
  } finally {
    subscription.close();
    unwatch();
  }
  res.end();
}

/** Active or on hold: the project's stream goes on (else it ends with `event: end`). */
const isOpen = (
  status: ProjectStatus,
): status is Exclude<ProjectStatus, z.output<typeof ClosedStatus>> =>
  status === 'active' || status === 'on_hold';

/**
 * A state's event id: its audit sequence, marked when the project was ended outside Gatehouse
 * (the read model then changes its status, not its sequence). A stream sends the state
 * whenever the stored one's id differs from the last it sent: a newer state, the end outside
 * Gatehouse, or a state reset to an earlier point (its sequence went back).
 */
export function stateEventId(state: { seq: number; status: string }): string {
  return state.status === 'terminated' ? `${state.seq}-terminated` : String(state.seq);
}

type ProjectFrame = FrameOf<(typeof routes)['events']['events']>;

/**
 * Whether the caller may still open the project, as they are now: access was checked when the
 * stream opened, and a delegation that ended or was revoked, a reassignment away from the
 * project or a PMO role removed since must stop the states it sends too.
 */
async function mayStillOpen({ deps, params, principal, projects }: CtxFor<'events'>) {
  const [user] = await getUsersByIds(deps.db, [principal!.user.id]);
  if (!user?.active) return false;
  try {
    await projects.check(params.id, withRoles(user, principal!.claimedRoles), 'project');
    return true;
  } catch (error) {
    if (error instanceof HttpProblem && error.status < 500) return false;
    throw error;
  }
}

export async function streamEvents(ctx: CtxFor<'events'>): Promise<void> {
  const { req, res, deps, params, principal, app } = ctx;
  const header = lastEventId(req);
  // A client that already saw the end of a closed project would otherwise wait forever on an
  // idle stream: 204 No Content is how SSE tells EventSource to stop reconnecting.
  const stored = await getProjectMark(deps.db, params.id);
  if (stored && !isOpen(stored.status) && header === stateEventId(stored)) {
    res.status(204).end();
    return;
  }
  let first = true;
  await serveChanges(
    req,
    res,
    {
      keys: () => [projectKey(params.id)],
      async next(last) {
        const opening = first; // the first read follows the route's own check
        first = false;
        const mark = await getProjectMark(deps.db, params.id);
        if (mark === undefined || stateEventId(mark) === last) return { frames: [] };
        // A caller who may no longer open the project gets no more of it: the stream ends, and
        // a reconnect meets the refusal (403).
        if (!opening && !(await mayStillOpen(ctx))) return { frames: [], done: true };
        const stored = await getProjectState(deps.db, params.id);
        const state = stored && (await hydrateState(deps.db, stored));
        if (!state) return { frames: [] };
        const frames: ProjectFrame[] = [{ id: stateEventId(state), event: 'state', data: state }];
        const { status } = state;
        if (isOpen(status)) return { frames };
        frames.push({ event: 'end', data: { status } });
        return { frames, done: true };
      },
    },
    app,
    principal!,
  );
}
