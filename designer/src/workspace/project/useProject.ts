/**
 * A project as the project view and the inbox forms show it: `GET /api/projects/:id` through
 * TanStack Query (one cache entry per project, shared), then every newer state from the event
 * stream written into that entry, with planned-vs-actual recomputed for streamed states. A
 * fetched state never replaces a newer streamed one.
 */
import { useCallback } from 'react';
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useSession } from '../../shell/session';
import { useTemplateVersion } from '../cache';
import { pirOf } from '../logic/pir';
import type { ProjectDetail, ProjectStateView, TemplateVersion } from '../types';
import type { Loaded } from '../ui/hooks';
import { useEventStream, type StreamStatus } from './useEventStream';

export interface ProjectData {
  project: ProjectDetail | undefined;
  template: Loaded<TemplateVersion>;
  error: unknown;
  loading: boolean;
  stream: { status: StreamStatus; error: unknown };
  /** Fetches the state again (after an action, in case the stream lags or is down). */
  refresh: () => void;
}

export const projectKey = (id: string) => ['project', id] as const;

/** The project's state, fetched once and shared (the stream, where open, keeps it fresh). */
export function useProjectQuery(id: string) {
  const { api } = useSession();
  const client = useQueryClient();
  return useQuery({
    queryKey: projectKey(id),
    queryFn: async () => newer(client, id, await api('getProject', { params: { id } })),
  });
}

/** `fresh`, unless the cache already holds a newer state (streamed meanwhile). */
function newer(client: QueryClient, id: string, fresh: ProjectDetail): ProjectDetail {
  const held = client.getQueryData<ProjectDetail>(projectKey(id));
  return held && held.seq > fresh.seq ? held : fresh;
}

export function useProject(id: string): ProjectData {
  const { api } = useSession();
  const client = useQueryClient();
  const loaded = useProjectQuery(id);
  const project = loaded.data;
  const template = useTemplateVersion(api, project?.template.key, project?.template.version);
  const pinned = template.data?.template;

  const onState = useCallback(
    (state: ProjectStateView) =>
      client.setQueryData<ProjectDetail>(projectKey(id), (p) => {
        if (!p || p.id !== state.id || state.seq < p.seq) return p;
        return { ...p, ...state, pir: pinned ? pirOf(pinned, state.kpis, state.metrics) : p.pir };
      }),
    [client, id, pinned],
  );
  const open = project?.status === 'active' || project?.status === 'on_hold';
  const stream = useEventStream(id, open, onState);
  return {
    project,
    template,
    error: loaded.error ?? undefined,
    loading: loaded.isPending,
    stream,
    refresh: () => void loaded.refetch(),
  };
}
