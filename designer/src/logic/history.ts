/**
 * Undo/redo as a pure reducer over snapshots. Templates are immutable values, so a snapshot
 * is just a reference and the whole history stays cheap. Rapid edits of one thing (a drag, a
 * text field being typed into) share a `mergeKey` and collapse into a single undo step.
 */
export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  /** The merge key of the edit that produced `present`, while further edits may join it. */
  mergeKey?: string;
}

export type HistoryAction<T> =
  /** A user edit; with the same `mergeKey` as the previous edit it replaces that step. */
  | { type: 'edit'; next: T; mergeKey?: string }
  | { type: 'undo' }
  | { type: 'redo' }
  /** Starts over from `next` (a loaded template): no way back to what was before. */
  | { type: 'reset'; next: T }
  /** Swaps the present without an undo step (e.g. auto-placing a loaded template). */
  | { type: 'replace'; next: T };

/** At most this many undo steps are kept. */
export const HISTORY_LIMIT = 200;

export function initHistory<T>(present: T): History<T> {
  return { past: [], present, future: [] };
}

export function historyReducer<T>(history: History<T>, action: HistoryAction<T>): History<T> {
  switch (action.type) {
    case 'edit': {
      if (action.next === history.present) return history;
      const merge =
        action.mergeKey !== undefined &&
        action.mergeKey === history.mergeKey &&
        history.past.length > 0;
      const past = merge ? history.past : [...history.past, history.present].slice(-HISTORY_LIMIT);
      return {
        past,
        present: action.next,
        future: [],
        ...(action.mergeKey !== undefined && { mergeKey: action.mergeKey }),
      };
    }
    case 'undo': {
      const previous = history.past[history.past.length - 1];
      if (previous === undefined) return history;
      return {
        past: history.past.slice(0, -1),
        present: previous,
        future: [history.present, ...history.future],
      };
    }
    case 'redo': {
      const [next, ...future] = history.future;
      if (next === undefined) return history;
      return { past: [...history.past, history.present], present: next, future };
    }
    case 'reset':
      return initHistory(action.next);
    case 'replace':
      return { ...history, present: action.next };
  }
}

export const canUndo = (history: History<unknown>): boolean => history.past.length > 0;
export const canRedo = (history: History<unknown>): boolean => history.future.length > 0;
