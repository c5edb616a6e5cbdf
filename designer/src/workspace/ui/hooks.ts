/** Small hooks the workspace screens share: loading data, submitting forms, a ticking clock. */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again, keeping the current data on screen meanwhile. */
  reload: () => void;
}

/**
 * Runs `load`, again whenever it changes and on `reload`; answers of superseded runs are
 * dropped. Make `load` with `useCallback`: its dependencies say when the data is another.
 */
export function useLoad<T>(load: () => Promise<T>): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setLoading(true);
    load().then(
      (value) => {
        if (!current) return;
        setData(value);
        setError(undefined);
        setLoading(false);
      },
      (e: unknown) => {
        if (!current) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [load, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { data, error, loading, reload };
}

/** Fired on `window` after any action succeeded: the navigation's inbox count listens. */
export const CHANGED_EVENT = 'gatehouse:changed';

export interface Submission<A extends unknown[]> {
  run: (...args: A) => Promise<boolean>;
  pending: boolean;
  error: unknown;
  clear: () => void;
}

/** Wraps an action: tracks it pending, keeps its error to show; resolves true on success. */
export function useSubmit<A extends unknown[]>(
  action: (...args: A) => Promise<unknown>,
): Submission<A> {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>();
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const run = async (...args: A) => {
    setPending(true);
    setError(undefined);
    try {
      await action(...args);
      window.dispatchEvent(new Event(CHANGED_EVENT));
      return true;
    } catch (e) {
      if (mounted.current) setError(e);
      return false;
    } finally {
      if (mounted.current) setPending(false);
    }
  };
  return { run, pending, error, clear: () => setError(undefined) };
}

/**
 * A form's submit handler: keeps the page from reloading and starts `send`. `send` runs a
 * `useSubmit` submission, which catches and shows its own errors, so nothing is left to await.
 */
export function submitHandler(send: () => Promise<unknown>): (e: FormEvent) => void {
  return (e) => {
    e.preventDefault();
    void send();
  };
}

/** The current time, refreshed every `everyMs`: countdowns tick without refetching. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * A text sent by an action with the form's idempotency key (hypercare's one-line forms, a
 * feedback post). `again`: the action may be sent more than once, so a success renews the key
 * and empties the text. The text is sent trimmed.
 */
export function useTextAction(
  send: (text: string, idempotencyKey: string) => Promise<unknown>,
  onSent: () => void,
  again = true,
) {
  const [text, setText] = useState('');
  const [key, renew] = useIdempotencyKey();
  const submit = useSubmit(() => send(text.trim(), key));
  const onSubmit = submitHandler(async () => {
    if (!(await submit.run())) return;
    if (again) {
      renew();
      setText('');
    }
    onSent();
  });
  return { text, setText, submit, onSubmit };
}

/** A fresh idempotency key per form instance, renewed after each success. */
export function useIdempotencyKey(): [string, () => void] {
  const [key, setKey] = useState(newKey);
  return [key, () => setKey(newKey())];
}

/** A random key; `crypto.randomUUID` exists only in secure contexts (https, localhost). */
export function newKey(): string {
  if (typeof crypto.randomUUID === 'function' && window.isSecureContext) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
