/**
 * Live project state over `GET /api/projects/:id/events`, authenticated by the session cookie
 * (api/stream.ts: fetch, `eventsource-parser`, reconnects with `Last-Event-ID`, stops for good
 * when the server says the caller was signed out). Each `state` event is read as the contract
 * declares it (`ProjectStateView`: texts beside their references, no workflow bookkeeping).
 */
import { useEffect, useRef, useState } from 'react';
import { ProjectStateView } from '../../../../server/contract';
import { openStream, type StreamStatus } from '../../api/stream';

export type { StreamStatus };

export function useEventStream(
  projectId: string,
  enabled: boolean,
  onState: (state: ProjectStateView) => void,
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
      onMessage(message) {
        if (message.event === 'end') return 'end';
        if (message.event !== 'state') return;
        const parsed = ProjectStateView.safeParse(JSON.parse(message.data));
        if (parsed.success) onStateRef.current(parsed.data);
        else setError(new Error('The live update had an unexpected shape; reload the page.'));
      },
      onStatus(next, failure) {
        setStatus(next);
        if (next === 'live') setError(undefined);
        else if (failure !== undefined) setError(failure);
      },
    });
  }, [projectId, enabled]);

  return { status, error };
}
