/**
 * The current hash route as React state, navigation by route rather than by string, and the
 * one question a screen may ask before the route moves away from it.
 *
 * Every move is a history step (a filter chosen, a project opened), so Back and Forward walk
 * the app as the user did; `replace` is for moves that are not a step of their own (a redirect,
 * a draft's first save naming its route). Each history entry carries its place in the session
 * history (`history.state`), so a move refused by the leave question (Back, Forward, an address
 * typed) can be undone exactly: the browser has already moved when it tells the page.
 */
import { useSyncExternalStore } from 'react';
import { hrefOf, parseHash, type Route } from './routes';

/** The key of an entry's place in `history.state` (other keys there are left as they are). */
const PLACE = 'gatehousePlace';

/** Asked before the route changes by Back, Forward, a typed address or a link; false: stay. */
export type LeaveQuestion = () => boolean;

const listeners = new Set<() => void>();
/** The hash the app shows, and its entry's place in the session history. */
let shown = '';
let place = 0;
/** The hash of a move refused, while the history is being taken back from it. */
let refused: string | undefined;
let question: LeaveQuestion | undefined;
let started = false;

function placeOf(state: unknown): number | undefined {
  const value = (state as Record<string, unknown> | null)?.[PLACE];
  return typeof value === 'number' ? value : undefined;
}

/** Writes `at` into the current entry's state, keeping what else it holds. */
function stamp(at: number): void {
  const state = window.history.state as Record<string, unknown> | null;
  window.history.replaceState({ ...state, [PLACE]: at }, '');
}

function start(): void {
  if (started) return;
  started = true;
  shown = window.location.hash;
  place = placeOf(window.history.state) ?? 0;
  stamp(place);
  // A link or `location.hash` fires popstate, then hashchange; Back and Forward as well.
  window.addEventListener('popstate', onMoved);
  window.addEventListener('hashchange', onMoved);
}

function onMoved(): void {
  const hash = window.location.hash;
  const arrived = placeOf(window.history.state);
  if (hash === shown) {
    // Back from a refused move, the second event of a move, or another entry of this route.
    refused = undefined;
    if (arrived !== undefined) place = arrived;
    return;
  }
  // The second event of a refused move, or the browser not yet back from it.
  if (hash === refused) return;
  if (question && !question()) {
    refused = hash;
    // An entry without a place is new (a typed address): it follows the one shown.
    window.history.go(place - (arrived ?? place + 1));
    return;
  }
  refused = undefined;
  shown = hash;
  place = arrived ?? place + 1;
  if (arrived === undefined) stamp(place);
  for (const listener of listeners) listener();
}

function subscribe(onChange: () => void): () => void {
  start();
  listeners.add(onChange);
  return () => listeners.delete(onChange);
}

const snapshot = () => {
  start();
  return shown;
};

export function useRoute(): Route {
  return parseHash(useSyncExternalStore(subscribe, snapshot));
}

/**
 * Goes to `route` as a step of the history; `replace` rewrites the current entry instead. The
 * app's own moves are not asked about: the screen that makes them has decided to leave.
 */
export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  start();
  const href = hrefOf(route);
  if (new URL(href, window.location.href).hash === shown) return;
  const state = window.history.state as Record<string, unknown> | null;
  if (options.replace) {
    window.history.replaceState({ ...state, [PLACE]: place }, '', href);
  } else {
    place += 1;
    window.history.pushState({ [PLACE]: place }, '', href);
  }
  shown = window.location.hash;
  refused = undefined;
  for (const listener of listeners) listener();
}

/**
 * Until the answered function is called, a move away from the route shown first asks
 * `ask`; a no keeps the route and puts the address and the history back where they were.
 */
export function guardLeaving(ask: LeaveQuestion): () => void {
  start();
  question = ask;
  return () => {
    if (question === ask) question = undefined;
  };
}
