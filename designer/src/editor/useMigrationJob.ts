/**
 * A bulk migration job as the Impact panel watches it, through TanStack Query: polled while
 * any project is pending (the projects being retried come with each poll), then, once done,
 * every failure with why.
 */
import { useQuery } from '@tanstack/react-query';
import type { Api } from '../api/client';
import type { MigrationView } from '../../../server/contract';
import { MAX_MIGRATION_LANES } from '../../../workflows/model';

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
  error: unknown;
}

/** Watches job `started` (the answer of `startMigration`) of template `key` until it is done. */
export function useMigrationJob(
  api: Api,
  key: string,
  started: MigrationView | undefined,
): MigrationJobView {
  const job = started?.job.id;
  const progress = useQuery({
    queryKey: ['migration', key, job],
    queryFn: () =>
      api('getMigration', {
        params: { key, job: job! },
        // The projects in flight, and so those being retried, are among the first pending.
        query: { status: 'pending', limit: MAX_MIGRATION_LANES },
      }),
    enabled: job !== undefined && started?.job.status === 'running',
    refetchInterval: (query) => (query.state.data?.job.status === 'done' ? false : POLL_MS),
  });
  const view = progress.data ?? started;
  const done = view?.job.status === 'done';
  const failed = useQuery({
    queryKey: ['migration', key, job, 'failed'],
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
  return {
    view,
    retrying: done
      ? []
      : (view?.items ?? []).filter((i) => i.status === 'pending' && i.attempts !== undefined),
    failures: failed.data ?? [],
    error: progress.error ?? failed.error ?? undefined,
  };
}
