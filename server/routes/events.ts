/**
 * `GET /api/projects/:id/events`: Server-Sent Events of state changes. The event id is the
 * state's audit sequence, so a client reconnecting with `Last-Event-ID` gets the current
 * state at once if it missed anything, and nothing twice. Changes are noticed by polling the
 * read model's sequence (one indexed read per stream and tick), never Temporal.
 */
import { getProjectSeq, getProjectState } from '../../db';
import type { CtxFor } from '../app';
import { hydrateState } from './hydrate';

const POLL_MS = 500;
const HEARTBEAT_MS = 15_000;
/** How often a stream asks whether its caller is still signed in (revoked, deactivated…). */
const RECHECK_MS = 5_000;

const isOpen = (status: string) => status === 'active' || status === 'on_hold';

export async function streamEvents({
  req,
  res,
  deps,
  params,
  principal,
  app,
}: CtxFor<'events'>): Promise<void> {
  const header = req.headers['last-event-id'];
  const lastSeen = typeof header === 'string' && /^\d+$/.test(header) ? Number(header) : -1;
  // A client that already saw the end of a closed project would otherwise wait forever on an
  // idle stream: 204 No Content is how SSE tells EventSource to stop reconnecting.
  const stored = await getProjectState(deps.db, params.id);
  if (stored && !isOpen(stored.status) && lastSeen >= stored.seq) {
    res.status(204).end();
    return;
  }
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write(`retry: 2000\n\n`);
  let sent = lastSeen;
  let closed = false;
  let lastWrite = Date.now();
  let lastCheck = Date.now();
  req.on('close', () => {
    closed = true;
  });
  while (!closed) {
    if (Date.now() - lastCheck >= RECHECK_MS) {
      lastCheck = Date.now();
      if (!(await app.auth.stillValid(principal!))) {
        // A reconnect will meet the 401 and the web app will ask to sign in.
        res.write(`event: signed-out\ndata: {}\n\n`);
        break;
      }
    }
    const seq = await getProjectSeq(deps.db, params.id);
    if (seq !== undefined && seq > sent) {
      const stored = await getProjectState(deps.db, params.id);
      const state = stored && (await hydrateState(deps.db, stored));
      if (state) {
        res.write(`id: ${state.seq}\nevent: state\ndata: ${JSON.stringify(state)}\n\n`);
        sent = state.seq;
        lastWrite = Date.now();
        if (!isOpen(state.status)) {
          res.write(`event: end\ndata: ${JSON.stringify({ status: state.status })}\n\n`);
          break;
        }
      }
    } else if (Date.now() - lastWrite > HEARTBEAT_MS) {
      res.write(': keep-alive\n\n');
      lastWrite = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  res.end();
}
