/**
 * A bulk migration job as the Impact panel watches it, through TanStack Query: polled while
 * it runs (the projects being retried come with each poll), then, once done, every failure
 * with why. A done job may still change (mayStillSettle): a project given up may still move (an
 * Update Temporal admitted before its attempt died, applied up to that attempt's deadline), its
 * row turning `migrated`, settled late; and a row a project's record write settled `migrated`
 * may turn back to `failed` while that write may be undone (`provisional`). So a done job is
 * still looked at while either may happen, less often while nothing changes (migration-watch.ts),
 * and not while the tab is hidden: TanStack Query's interval skips a hidden tab
 * (`refetchIntervalInBackground` false) and looks once on its return (`refetchOnWindowFocus`).
 */
import { useQuery } from '@tanstack/react-query';
import { useRef } from 'react';
import type { Api } from '../api/client';
import type { MigrationView } from '../../../server/contract';
import { MAX_MIGRATION_LANES, mayStillSettle } from '../../../workflows/model';
import { afterLook, latePollDelay, type LateLooks } from '../logic/migration-watch';

/** Between polls of a running migration. */
const POLL_MS = 400;
/** Failures per request once the job is done. */
const FAILED_PAGE = 200;

export type MigrationItem = MigrationView['items'][number];

export interface MigrationJobView {
  /** The job's counts, from the last poll (or the answer that started it). */
  view: MigrationView | undefined;
  /** Pending projects whose migration was retried: their attempt and last error. */
  retrying: MigrationItem[];
  /** Once the job is done: every project that failed, with its code and reason. */
  failures: MigrationItem[];
  /** When the job was last looked at (ms since the epoch), once it has been. */
  checkedAt: number | undefined;
  /** Whether the job is done but may still change (mayStillSettle), so is still looked at. */
  watching: boolean;
  error: unknown;
}

/** Watches job `started` (the answer of `startMigration`) of template `key` until it is done. */
export function useMigrationJob(
  api: Api,
  key: string,
  started: MigrationView | undefined,
): MigrationJobView {
  const job = started?.job.id;
  /** When this watch first saw the job done. */
  const doneSince = useRef<number | undefined>(undefined);
  /** The job's failures once fetched (below): only those given up may still settle late. */
  const failures = useRef<MigrationItem[] | undefined>(undefined);
  /** The looks at the done job so far: the wait before the next one grows while none changes. */
  const looks = useRef<LateLooks | undefined>(undefined);
  const progress = useQuery({
    queryKey: ['migration', key, job],
    queryFn: () =>
      api('getMigration', {
        params: { key, job: job! },
        // The projects in flight, and so those being retried, are among the first pending.
        query: { status: 'pending', limit: MAX_MIGRATION_LANES },
      }),
    enabled: job !== undefined && started?.job.status === 'running',
    refetchInterval: (query) => {
      const data = query.state.data;
      if (data?.job.status !== 'done') return POLL_MS;
      doneSince.current ??= Date.now();
      const doneFor = Date.now() - doneSince.current;
      if (!mayStillSettle(data.job, doneFor, failures.current)) return false;
      looks.current = afterLook(looks.current, data.job, query.state.dataUpdatedAt);
      return latePollDelay(looks.current.unchanged);
    },
    // The defaults, said here because the backoff counts on them: no look while the tab is
    // hidden, and one as soon as it is shown again (the answer being stale by then).
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: true,
  });
  const view = progress.data ?? started;
  const done = view?.job.status === 'done';
  const failed = useQuery({
    // Fetched again when the count changes: a failure that settled late leaves the list.
    queryKey: ['migration', key, job, 'failed', view?.job.failed],
    queryFn: async () => {
      const all: MigrationItem[] = [];
      let cursor: string | undefined;
      do {
        const page = await api('getMigration', {
          params: { key, job: job! },
          query: { status: 'failed', limit: FAILED_PAGE, ...(cursor !== undefined && { cursor }) },
        });
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      return all;
    },
    enabled: done && (view?.job.failed ?? 0) > 0,
    staleTime: Infinity,
  });
  failures.current = failed.data;
  const doneFor = doneSince.current === undefined ? 0 : Date.now() - doneSince.current;
  return {
    view,
    retrying: done
      ? []
      : (view?.items ?? []).filter((i) => i.status === 'pending' && i.attempts !== undefined),
    failures: failed.data ?? [],
    checkedAt: progress.dataUpdatedAt > 0 ? progress.dataUpdatedAt : undefined,
    watching: done && view !== undefined && mayStillSettle(view.job, doneFor, failed.data),
    error: progress.error ?? failed.error ?? undefined,
  };
}
