/**
 * Live project state over `GET /api/projects/:id/events`, authenticated by the session cookie.
 * The stream is read with `fetch` and parsed by `SseParser`; on a drop it reconnects with
 * `Last-Event-ID` (the server then sends only a newer state) and backs off on failures.
 */
import { useEffect, useRef, useState } from 'react';
import { ProjectState } from '../../../../workflows/model';
import { ApiError, type Problem } from '../../api/client';
import { reconnectDelay, SseParser } from '../logic/sse';

export type StreamStatus = 'off' | 'connecting' | 'live' | 'reconnecting' | 'ended' | 'failed';

/** Statuses that will not get better by retrying. */
const FATAL = new Set([401, 403, 404]);

export function useEventStream(
  projectId: string,
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
    const abort = new AbortController();
    let lastEventId = '';
    let retry = 2000;
    let failures = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const connect = async (): Promise<void> => {
      setStatus(failures === 0 && lastEventId === '' ? 'connecting' : 'reconnecting');
      try {
        const response = await fetch(`/api/projects/${encodeURIComponent(projectId)}/events`, {
          headers: {
            accept: 'text/event-stream',
            ...(lastEventId !== '' && { 'last-event-id': lastEventId }),
          },
          cache: 'no-store',
          credentials: 'same-origin',
          signal: abort.signal,
        });
        if (!response.ok || !response.body) {
          const problem = await problemOf(response);
          if (FATAL.has(response.status)) {
            setError(new ApiError(problem));
            setStatus('failed');
            return;
          }
          throw new ApiError(problem);
        }
        const parser = new SseParser();
        parser.lastEventId = lastEventId;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        setStatus('live');
        setError(undefined);
        failures = 0;
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const message of parser.feed(value)) {
            if (message.event === 'state') {
              const parsed = ProjectState.safeParse(JSON.parse(message.data));
              if (parsed.success) onStateRef.current(parsed.data);
              else setError(new Error('The live update had an unexpected shape; reload the page.'));
            } else if (message.event === 'end') {
              setStatus('ended');
              return;
            } else if (message.event === 'signed-out') {
              // Signed out, expired or deactivated: the next call takes the user to sign in.
              setError(new Error('You are no longer signed in.'));
              setStatus('failed');
              return;
            }
          }
          lastEventId = parser.lastEventId;
          retry = parser.retry ?? retry;
        }
      } catch (e) {
        if (abort.signal.aborted) return;
        failures += 1;
        setError(e);
      }
      if (abort.signal.aborted) return;
      setStatus('reconnecting');
      timer = setTimeout(() => void connect(), reconnectDelay(Math.max(0, failures - 1), retry));
    };

    void connect();
    return () => {
      abort.abort();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [projectId, enabled]);

  return { status, error };
}

async function problemOf(response: Response): Promise<Problem> {
  const fallback: Problem = { status: response.status, title: response.statusText, errors: [] };
  try {
    const body = (await response.json()) as Partial<Problem>;
    return { ...fallback, ...body, status: response.status, errors: body.errors ?? [] };
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
    return fallback;
  }
}
