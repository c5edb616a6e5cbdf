/**
 * The inbox's data through TanStack Query: what the caller must do (`GET /api/inbox`), their
 * notifications page by page, the counts per project and kind, read marks — all kept live by
 * the caller's inbox stream (`GET /api/inbox/events`), which writes the counts into the cache
 * and invalidates the lists that changed. The navigation and the inbox page share the cache.
 */
import { createContext, useContext, useEffect, useState } from 'react';
import {
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
} from '@tanstack/react-query';
import type { z } from 'zod';
import type { MarkReadBody } from '../../../../server/contract';
import { openStream, type StreamStatus } from '../../api/stream';
import type { NotificationFilter } from '../../shell/routes';
import { useSession } from '../../shell/session';
import type { InboxCounts, InboxItem } from '../types';

export const inboxKeys = {
  all: ['inbox'] as const,
  actions: ['inbox', 'actions'] as const,
  summary: ['inbox', 'summary'] as const,
  notifications: ['inbox', 'notifications'] as const,
  filtered: (filter: NotificationFilter) => ['inbox', 'notifications', filter] as const,
};

/** While the stream is down, lists are fetched again this often instead. */
const FALLBACK_REFRESH_MS = 60_000;
const PAGE_SIZE = 30;
const TODO_PAGE_SIZE = 50;

/**
 * What the caller must do, a page at a time in due order (the navigation shows the first
 * page's count; the to-do list loads more on demand). A change refetches the pages loaded.
 */
export function useInboxActions(live: boolean) {
  const { api } = useSession();
  return useInfiniteQuery({
    queryKey: inboxKeys.actions,
    queryFn: ({ pageParam }) =>
      api('inbox', {
        query: { limit: TODO_PAGE_SIZE, ...(pageParam !== undefined && { cursor: pageParam }) },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor,
    refetchInterval: live ? false : FALLBACK_REFRESH_MS,
  });
}

/** How many to-dos are loaded, as shown: `50+` while more pages follow. */
export function todoCount(actions: ReturnType<typeof useInboxActions>): string | undefined {
  const pages = actions.data?.pages;
  if (pages === undefined) return undefined;
  const count = pages.reduce((n, page) => n + page.items.length, 0);
  return actions.hasNextPage ? `${count}+` : String(count);
}

export function useInboxSummary(live: boolean) {
  const { api } = useSession();
  return useQuery({
    queryKey: inboxKeys.summary,
    queryFn: () => api('inboxSummary'),
    refetchInterval: live ? false : FALLBACK_REFRESH_MS,
  });
}

export function useNotifications(filter: NotificationFilter) {
  const { api } = useSession();
  return useInfiniteQuery({
    queryKey: inboxKeys.filtered(filter),
    queryFn: ({ pageParam }) =>
      api('notifications', {
        query: {
          limit: PAGE_SIZE,
          ...(pageParam !== undefined && { cursor: pageParam }),
          ...(filter.project && { project: filter.project }),
          ...(filter.kind && { kind: filter.kind }),
          ...(filter.unread && { unread: 'true' as const }),
        },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor,
  });
}

/**
 * Marks notifications read. Once the server says so, the lists already loaded show them read at
 * once (the counts may drop first, from the stream: a list still showing them unread would
 * contradict them); then the counts and lists are fetched again.
 */
export function useMarkRead() {
  const { api } = useSession();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof MarkReadBody>) => api('markRead', { body }),
    onSuccess: (_marked, body) => {
      const readAt = Date.now();
      const marked = (item: InboxItem) =>
        item.readAt === undefined && (body.all === true || (body.ids?.includes(item.id) ?? false));
      client.setQueriesData<InfiniteData<{ items: InboxItem[] }>>(
        { queryKey: inboxKeys.notifications },
        (data) =>
          data && {
            ...data,
            pages: data.pages.map((page) => ({
              ...page,
              items: page.items.map((item) => (marked(item) ? { ...item, readAt } : item)),
            })),
          },
      );
      invalidateNotifications(client);
    },
  });
}

function invalidateNotifications(client: QueryClient) {
  void client.invalidateQueries({ queryKey: inboxKeys.summary });
  void client.invalidateQueries({ queryKey: inboxKeys.notifications });
}

/** The inbox stream's status, from the shell (which keeps the stream open) to its screens. */
export const InboxLive = createContext<StreamStatus>('off');
export const useInboxLiveStatus = () => useContext(InboxLive) === 'live';

/**
 * Keeps the inbox cache live over the caller's inbox stream for as long as the shell is
 * mounted; answers the stream's status (lists fall back to polling while it is not live).
 */
export function useInboxLive(): StreamStatus {
  const client = useQueryClient();
  const [status, setStatus] = useState<StreamStatus>('off');
  useEffect(() => {
    // Across reconnects: a change missed while the stream was down still refetches.
    let seen: { items: string; actions: string } | undefined;
    return openStream({
      path: '/api/inbox/events',
      onMessage(message) {
        if (message.event !== 'inbox') return;
        const { actions, ...summary } = JSON.parse(message.data) as InboxCounts;
        const items = message.id?.split(':')[0] ?? '';
        client.setQueryData(inboxKeys.summary, summary);
        if (seen && seen.actions !== actions) {
          void client.invalidateQueries({ queryKey: inboxKeys.actions });
        }
        if (seen && seen.items !== items) {
          void client.invalidateQueries({ queryKey: inboxKeys.notifications });
        }
        seen = { items, actions };
      },
      onStatus: (next) => setStatus(next),
    });
  }, [client]);
  return status;
}
