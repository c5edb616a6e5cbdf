/**
 * The live event streams of the route table (routes with `response: 'event-stream'`): every
 * event each stream sends, by its `event:` name, with the Zod schema of its `data` (JSON) and
 * what its `id:` is when it carries one. server/routes/events.ts writes the frames typed from
 * these schemas, the OpenAPI document declares them (`itemSchema`, OpenAPI 3.2) and the tests
 * check every event they read against that declaration. Imports only zod, the model and the
 * response schemas.
 */
import { z } from 'zod';
import { InboxSummary, ProjectStatus } from '../workflows/model';
import { ProjectStateView } from './contract-responses';

/** One kind of event a stream sends. */
export interface EventSpec {
  /** What the event is for a client. */
  description: string;
  /** The schema of its `data:` (sent as one line of JSON). */
  data: z.ZodType;
  /** What its `id:` holds (the client's `Last-Event-ID` on a reconnect); absent: no id. */
  id?: string;
}

/** A stream's events by name, and the reconnection delay it asks for first (`retry:`). */
export interface EventStream {
  events: Readonly<Record<string, EventSpec>>;
  retryMs: number;
}

/** The reconnection delay every stream asks for in its first frame (`retry: 2000`). */
export const STREAM_RETRY_MS = 2000;

/** `event: signed-out`: the caller is no longer signed in; the stream ends. */
export const SignedOut = z.object({});

/** A stream: its own events, and `signed-out`, which every stream may send last. */
function eventStream<E extends Record<string, EventSpec>>(events: E) {
  const signedOut = {
    description:
      'The caller is no longer signed in (revoked, expired, deactivated): the stream ends; a ' +
      'reconnect meets 401.',
    data: SignedOut,
  } as const;
  return { events: { ...events, 'signed-out': signedOut }, retryMs: STREAM_RETRY_MS } as const;
}

/** The statuses that end a project's stream (the project is no longer active or on hold). */
export const ClosedStatus = ProjectStatus.exclude(['active', 'on_hold']);

/** `event: end` of a project's stream: the project closed with this status. */
export const ProjectEnd = z.object({ status: ClosedStatus });

/** `event: inbox`: the caller's inbox counts, and `actions`, which changes with their to-do list. */
export const InboxCounts = InboxSummary.extend({
  /**
   * An opaque version of the caller's to-do list (`GET /api/inbox`): it changes whenever the
   * list may have; fetch the list again then.
   */
  actions: z.string(),
});
export type InboxCounts = z.infer<typeof InboxCounts>;

/** `GET /api/projects/:id/events`. */
export const projectEvents = eventStream({
  state: {
    description: "The project's state: at once, and whenever it changed (the read model's record).",
    data: ProjectStateView,
    id:
      'The state\'s audit sequence, with "-terminated" appended once the project was ended ' +
      'outside Gatehouse: a reconnect with it as `Last-Event-ID` gets only a newer state.',
  },
  end: {
    description: 'The project closed: sent after its final state; then the stream ends.',
    data: ProjectEnd,
  },
});

/** `GET /api/inbox/events`. */
export const inboxEvents = eventStream({
  inbox: {
    description:
      "The caller's inbox counts: at once, and whenever they or the to-do list may have changed.",
    data: InboxCounts,
    id: '`<items>:<actions>` versions: a reconnect with it as `Last-Event-ID` gets only a change.',
  },
});

/** The frame an event of `stream` is written from: its name, its data, its id if it has one. */
export type FrameOf<S extends EventStream> = S extends EventStream
  ? {
      [K in keyof S['events'] & string]: S['events'][K] extends { id: string }
        ? { event: K; data: z.output<S['events'][K]['data']>; id: string }
        : { event: K; data: z.output<S['events'][K]['data']>; id?: undefined };
    }[keyof S['events'] & string]
  : never;
