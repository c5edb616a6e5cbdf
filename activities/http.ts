/** The HTTP port of the webhook activity, and its adapter over the global `fetch`. */
import { asyncLocalStorage } from '@temporalio/activity';

/**
 * Posts a JSON text (as given: a signature covers these very bytes); resolves with the status of
 * any answer (a redirect's too: it is not followed), rejects on network errors/timeouts.
 */
export interface HttpClient {
  post(url: string, json: string, headers?: Record<string, string>): Promise<{ status: number }>;
}

/** Default time a webhook may take before the attempt fails (and Temporal retries). */
export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;

/** An {@link HttpClient} on `fetch`, aborted after `timeoutMs` or when the activity is cancelled. */
export function createFetchHttp(options: { timeoutMs?: number } = {}): HttpClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  return {
    async post(url, json, headers = {}) {
      const signals = [AbortSignal.timeout(timeoutMs)];
      // Inside an activity, a cancelled activity should not keep its request open.
      const activity = asyncLocalStorage.getStore();
      if (activity !== undefined) signals.push(activity.cancellationSignal);
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: json,
        // A redirect is answered as it is (a failed delivery): followed, a 302 would turn the POST
        // into a GET (a login page's 200 passing for delivered), and a 307 would carry the signed
        // body to wherever it points.
        redirect: 'manual',
        signal: AbortSignal.any(signals),
      });
      // Only the status matters; releasing the body frees the connection.
      await response.body?.cancel();
      return { status: response.status };
    },
  };
}
