/** A cursor-paged list (`{items, nextCursor?}`): the first page on load, more on demand. */
import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
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

export function usePaged<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  deps: DependencyList,
): Paged<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>();
  const [round, setRound] = useState(0);
  // Answers of a superseded round (filters changed meanwhile) are dropped.
  const roundRef = useRef(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  useEffect(() => {
    const mine = ++roundRef.current;
    setLoading(true);
    setError(undefined);
    fetchRef.current(undefined).then(
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
    // `deps` decide when the list is a new one.
  }, [...deps, round]);

  const loadMore = useCallback(() => {
    if (cursor === undefined) return;
    const mine = roundRef.current;
    setLoadingMore(true);
    fetchRef.current(cursor).then(
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
  }, [cursor]);

  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { items, hasMore: cursor !== undefined, loading, loadingMore, error, loadMore, reload };
}
