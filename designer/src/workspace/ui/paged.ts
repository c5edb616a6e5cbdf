/** A cursor-paged list (`{items, nextCursor?}`): the first page on load, more on demand. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '../types';

export interface Paged<T> {
  items: T[];
  hasMore: boolean;
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
  loadMore: () => void;
  reload: () => void;
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
  const [round, setRound] = useState(0);
  // Answers of a superseded round (filters changed meanwhile) are dropped.
  const roundRef = useRef(0);

  useEffect(() => {
    const mine = ++roundRef.current;
    setLoading(true);
    setError(undefined);
    fetchPage(undefined).then(
      (page) => {
        if (mine !== roundRef.current) return;
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
    setLoadingMore(true);
    fetchPage(cursor).then(
      (page) => {
        if (mine !== roundRef.current) return;
        setItems((prev) => [...prev, ...page.items]);
        setCursor(page.nextCursor);
        setLoadingMore(false);
      },
      (e: unknown) => {
        if (mine !== roundRef.current) return;
        setError(e);
        setLoadingMore(false);
      },
    );
  }, [cursor, fetchPage]);

  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { items, hasMore: cursor !== undefined, loading, loadingMore, error, loadMore, reload };
}
