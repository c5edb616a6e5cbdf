/**
 * A project as the project view shows it: `GET /api/projects/:id` once, then every newer state
 * from the event stream, with planned-vs-actual recomputed for streamed states.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ProjectState } from '../../../../workflows/model';
import { useSession } from '../../shell/session';
import { useTemplateVersion } from '../cache';
import { pirOf } from '../logic/pir';
import type { ProjectDetail, TemplateVersion } from '../types';
import { useLoad, type Loaded } from '../ui/hooks';
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

export function useProject(id: string): ProjectData {
  const { api } = useSession();
  const loaded = useLoad(() => api<ProjectDetail>('getProject', { params: { id } }), [id]);
  const [project, setProject] = useState<ProjectDetail>();
  useEffect(() => {
    const fresh = loaded.data;
    // A fetched state older than one already streamed is dropped.
    if (fresh) setProject((p) => (p && p.id === fresh.id && p.seq > fresh.seq ? p : fresh));
  }, [loaded.data]);
  useEffect(() => setProject(undefined), [id]);
  const template = useTemplateVersion(api, project?.template.key, project?.template.version);
  const pinned = template.data?.template;

  const onState = useCallback(
    (state: ProjectState) =>
      setProject((p) => {
        if (!p || p.id !== state.id || state.seq < p.seq) return p;
        return { ...p, ...state, pir: pinned ? pirOf(pinned, state.kpis) : p.pir };
      }),
    [pinned],
  );
  const open = project?.status === 'active' || project?.status === 'on_hold';
  const stream = useEventStream(id, open, onState);
  return {
    project,
    template,
    error: loaded.error,
    loading: loaded.loading,
    stream,
    refresh: loaded.reload,
  };
}
