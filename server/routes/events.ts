/**
 * Server-Sent Events. One mechanism, `serveChanges`, serves every stream: it polls a feed
 * (one cheap indexed read per stream and tick, never Temporal), writes what the feed answers,
 * keeps the connection alive with comments, ends the stream of a caller no longer signed in
 * (revoked, expired, deactivated) and stops when the client goes or the feed ends. A later
 * change feed (e.g. LISTEN/NOTIFY) replaces the polling here, in one place.
 *
 * - `GET /api/projects/:id/events`: the project's state. The event id is the state's audit
 *   sequence, so a client reconnecting with `Last-Event-ID` gets the current state at once if
 *   it missed anything, and nothing twice.
 * - `GET /api/inbox/events` (routes/inbox.ts): the caller's inbox counts.
 */
import type { Request, Response } from 'express';
import { getProjectSeq, getProjectState } from '../../db';
import type { CtxFor } from '../app';
import { hydrateState } from './hydrate';

const POLL_MS = 500;
const HEARTBEAT_MS = 15_000;
/** How often a stream asks whether its caller is still signed in (revoked, deactivated…). */
const RECHECK_MS = 5_000;

/** One message of a stream. */
export interface Frame {
  event: string;
  data: unknown;
  /** Sent as the event id: what the client hands back as `Last-Event-ID`. */
  id?: string;
}

/**
 * A source of frames: `next` is asked on every tick with the id of the last frame sent (the
 * client's `Last-Event-ID` at first) and answers what to send now; `done` ends the stream.
 */
export interface ChangeFeed {
  next(lastId: string | undefined): Promise<{ frames: Frame[]; done?: boolean }>;
}

/** The `Last-Event-ID` a reconnecting client sent, if any. */
export function lastEventId(req: Request): string | undefined {
  const header = req.headers['last-event-id'];
  return typeof header === 'string' && header !== '' ? header : undefined;
}

/**
 * Streams `feed` to the client until it disconnects or the feed is done; every few seconds
 * `stillSignedIn` is asked, and a caller no longer signed in gets `event: signed-out` and the
 * end of the stream (a reconnect meets the 401 and the web app asks them to sign in).
 */
export async function serveChanges(
  req: Request,
  res: Response,
  feed: ChangeFeed,
  stillSignedIn: () => Promise<boolean>,
): Promise<void> {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write(`retry: 2000\n\n`);
  let sent = lastEventId(req);
  let closed = false;
  let lastWrite = Date.now();
  let lastCheck = Date.now();
  req.on('close', () => {
    closed = true;
  });
  while (!closed) {
    if (Date.now() - lastCheck >= RECHECK_MS) {
      lastCheck = Date.now();
      if (!(await stillSignedIn())) {
        res.write(`event: signed-out\ndata: {}\n\n`);
        break;
      }
    }
    const { frames, done } = await feed.next(sent);
    for (const frame of frames) {
      const id = frame.id === undefined ? '' : `id: ${frame.id}\n`;
      res.write(`${id}event: ${frame.event}\ndata: ${JSON.stringify(frame.data)}\n\n`);
      if (frame.id !== undefined) sent = frame.id;
      lastWrite = Date.now();
    }
    if (done) break;
    if (Date.now() - lastWrite > HEARTBEAT_MS) {
      res.write(': keep-alive\n\n');
      lastWrite = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  res.end();
}

const isOpen = (status: string) => status === 'active' || status === 'on_hold';

export async function streamEvents({
  req,
  res,
  deps,
  params,
  principal,
  app,
}: CtxFor<'events'>): Promise<void> {
  const header = lastEventId(req);
  const lastSeen = header !== undefined && /^\d+$/.test(header) ? Number(header) : -1;
  // A client that already saw the end of a closed project would otherwise wait forever on an
  // idle stream: 204 No Content is how SSE tells EventSource to stop reconnecting.
  const stored = await getProjectState(deps.db, params.id);
  if (stored && !isOpen(stored.status) && lastSeen >= stored.seq) {
    res.status(204).end();
    return;
  }
  await serveChanges(
    req,
    res,
    {
      async next(last) {
        const sent = last !== undefined && /^\d+$/.test(last) ? Number(last) : -1;
        const seq = await getProjectSeq(deps.db, params.id);
        if (seq === undefined || seq <= sent) return { frames: [] };
        const stored = await getProjectState(deps.db, params.id);
        const state = stored && (await hydrateState(deps.db, stored));
        if (!state) return { frames: [] };
        const frames: Frame[] = [{ id: String(state.seq), event: 'state', data: state }];
        if (isOpen(state.status)) return { frames };
        frames.push({ event: 'end', data: { status: state.status } });
        return { frames, done: true };
      },
    },
    () => app.auth.stillValid(principal!),
  );
}
