/** A cursor-paged list (`{items, nextCursor?}`): the first page on load, more on demand. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '../types';

export interface Paged<T> {
  items: T[];
  hasMore: boolean;
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
  /** Why the last refresh failed (what is shown is as it was); undefined once one succeeds. */
  stale: unknown;
  loadMore: () => void;
  reload: () => void;
  /**
   * Fetches the pages loaded so far again, one request per page from the first, and shows
   * them once all have answered: what is shown stays until then, and on a failure.
   */
  refresh: () => void;
}

/**
 * Pages through `fetchPage`, from the first page again whenever it changes and on `reload`.
 * Make `fetchPage` with `useCallback`: its dependencies say when the list is another.
 */
export function usePaged<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>): Paged<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>();
  const [stale, setStale] = useState<unknown>();
  const [round, setRound] = useState(0);
  // Answers of a superseded round (filters changed meanwhile) are dropped.
  const roundRef = useRef(0);
  // How many pages are shown, and a count of the changes to them: a refresh whose pages were
  // changed meanwhile (more loaded, another refresh) drops its answer, and so does a page
  // loaded past a refresh (its cursor belongs to the list before it).
  const pages = useRef(0);
  const changes = useRef(0);
  const refreshing = useRef(false);

  useEffect(() => {
    const mine = ++roundRef.current;
    setLoading(true);
    setError(undefined);
    setStale(undefined);
    fetchPage(undefined).then(
      (page) => {
        if (mine !== roundRef.current) return;
        pages.current = 1;
        changes.current += 1;
        setItems(page.items);
        setCursor(page.nextCursor);
        setLoading(false);
      },
      (e: unknown) => {
        if (mine !== roundRef.current) return;
        setError(e);
        setLoading(false);
      },
    );
  }, [fetchPage, round]);

  const loadMore = useCallback(() => {
    if (cursor === undefined) return;
    const mine = roundRef.current;
    const seen = ++changes.current;
    setLoadingMore(true);
    fetchPage(cursor).then(
      (page) => {
        if (mine !== roundRef.current) return;
        setLoadingMore(false);
        if (seen !== changes.current) return;
        pages.current += 1;
        changes.current += 1;
        setItems((prev) => [...prev, ...page.items]);
        setCursor(page.nextCursor);
      },
      (e: unknown) => {
        if (mine !== roundRef.current) return;
        setError(e);
        setLoadingMore(false);
      },
    );
  }, [cursor, fetchPage]);

  const reload = useCallback(() => setRound((r) => r + 1), []);

  const refresh = useCallback(() => {
    if (pages.current === 0 || refreshing.current) return;
    const mine = roundRef.current;
    const seen = changes.current;
    const count = pages.current;
    refreshing.current = true;
    void (async () => {
      // Each page from the fresh one before it: the same rows in order, none repeated or lost
      // while projects start meanwhile.
      const fresh: T[] = [];
      let next: string | undefined;
      let loaded = 0;
      while (loaded < count) {
        const page = await fetchPage(next);
        loaded += 1;
        fresh.push(...page.items);
        next = page.nextCursor;
        if (next === undefined) break;
      }
      return { fresh, next, loaded };
    })()
      .then(
        ({ fresh, next, loaded }) => {
          if (mine !== roundRef.current || seen !== changes.current) return;
          pages.current = loaded;
          changes.current += 1;
          setItems(fresh);
          setCursor(next);
          setStale(undefined);
        },
        // A failed refresh keeps what is shown, saying so; the next one tries again.
        (e: unknown) => {
          if (mine === roundRef.current) setStale(e);
        },
      )
      .finally(() => {
        refreshing.current = false;
      });
  }, [fetchPage]);

  return {
    items,
    hasMore: cursor !== undefined,
    loading,
    loadingMore,
    error,
    stale,
    loadMore,
    reload,
    refresh,
  };
}
