/**
 * Full project states for the portfolio rows on screen: fetched when a row becomes visible
 * (a few at a time), kept for the page's lifetime and refreshed on demand and periodically.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Api } from '../../api/client';
import { createLimiter } from '../logic/limit';
import type { ProjectDetail } from '../types';

export type DetailEntry =
  | { state: 'loading' }
  | { state: 'ok'; detail: ProjectDetail }
  | { state: 'error'; error: unknown };

export function useProjectDetails(api: Api) {
  const [entries, setEntries] = useState<Record<string, DetailEntry>>({});
  const requested = useRef(new Set<string>());
  const limit = useRef(createLimiter(4));
  const request = useCallback(
    (id: string) => {
      if (requested.current.has(id)) return;
      requested.current.add(id);
      setEntries((e) => ({ ...e, [id]: { state: 'loading' } }));
      limit
        .current(() => api('getProject', { params: { id } }))
        .then(
          (detail) => setEntries((e) => ({ ...e, [id]: { state: 'ok', detail } })),
          (error: unknown) => setEntries((e) => ({ ...e, [id]: { state: 'error', error } })),
        );
    },
    [api],
  );
  const forget = useCallback(() => {
    requested.current.clear();
    setEntries({});
  }, []);
  /** Fetches every row asked for again, keeping what is shown until the answer comes. */
  const refresh = useCallback(() => {
    for (const id of requested.current) {
      void limit
        .current(() => api('getProject', { params: { id } }))
        .then(
          (detail) => setEntries((e) => ({ ...e, [id]: { state: 'ok', detail } })),
          // A failed refresh keeps the last answer on screen; the next one tries again.
          () => undefined,
        );
    }
  }, [api]);
  return { entries, request, forget, refresh };
}

/** Calls `onVisible` once the element scrolls into view. */
export function useOnVisible<E extends Element>(onVisible: () => void, enabled: boolean) {
  const ref = useRef<E>(null);
  const callback = useRef(onVisible);
  callback.current = onVisible;
  useEffect(() => {
    const element = ref.current;
    if (!enabled || !element) return;
    if (typeof IntersectionObserver === 'undefined') {
      callback.current();
      return;
    }
    const observer = new IntersectionObserver((seen) => {
      if (seen.some((s) => s.isIntersecting)) {
        callback.current();
        observer.disconnect();
      }
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [enabled]);
  return ref;
}
