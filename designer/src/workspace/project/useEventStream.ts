/**
 * Live project state over `GET /api/projects/:id/events` (api/stream.ts: fetch with the bearer
 * header, `eventsource-parser`, reconnects with `Last-Event-ID`).
 */
import { useEffect, useRef, useState } from 'react';
import { ProjectState } from '../../../../workflows/model';
import { openStream, type StreamStatus } from '../../api/stream';

export type { StreamStatus };

export function useEventStream(
  projectId: string,
  token: string,
  enabled: boolean,
  onState: (state: ProjectState) => void,
): { status: StreamStatus; error: unknown } {
  const [status, setStatus] = useState<StreamStatus>('off');
  const [error, setError] = useState<unknown>();
  const onStateRef = useRef(onState);
  onStateRef.current = onState;

  useEffect(() => {
    if (!enabled) {
      setStatus('off');
      return;
    }
    return openStream({
      path: `/api/projects/${encodeURIComponent(projectId)}/events`,
      token,
      onMessage(message) {
        if (message.event === 'end') return 'end';
        if (message.event !== 'state') return;
        const parsed = ProjectState.safeParse(JSON.parse(message.data));
        if (parsed.success) onStateRef.current(parsed.data);
        else setError(new Error('The live update had an unexpected shape; reload the page.'));
      },
      onStatus(next, failure) {
        setStatus(next);
        if (next === 'live') setError(undefined);
        else if (failure !== undefined) setError(failure);
      },
    });
  }, [projectId, token, enabled]);

  return { status, error };
}
