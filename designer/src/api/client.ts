/**
 * The designer's only way to the server: a small typed client over the HTTP API contract
 * (server/contract.ts). Paths, bodies and answers are typed per route from the same Zod schemas
 * the server parses and answers with: `api('getVersion', …)` resolves to a `TemplateVersion`.
 * It authenticates with the session cookie (sent by the browser, never seen by this code) and
 * echoes the session's CSRF token on writes; only the exchange of a pasted token for a session
 * sends a bearer token.
 */
import type { z } from 'zod';
import { routes, type Problem as ProblemDocument, type RouteName } from '../../../server/contract';

type Spec<N extends RouteName> = (typeof routes)[N];
type In<S, K extends 'params' | 'query' | 'body'> = S extends {
  [P in K]: infer Z extends z.ZodType;
}
  ? z.input<Z>
  : undefined;

/**
 * What route `N` answers: its declared body as sent (JSON, so the schema's input side), or
 * nothing (204, redirects; an event stream is read with designer/src/api/stream.ts).
 */
export type Answer<N extends RouteName> = Spec<N>['response'] extends infer R extends z.ZodType
  ? z.input<R>
  : undefined;

/** The server's problem document as a call sees it: without a code when the network failed. */
export type Problem = Pick<ProblemDocument, 'status' | 'title' | 'detail' | 'errors'> & {
  code?: string;
};

/** A failed call: the server's problem+json, or a network failure described the same way. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

export type CallOptions<N extends RouteName> = {
  params?: In<Spec<N>, 'params'>;
  query?: In<Spec<N>, 'query'>;
  body?: In<Spec<N>, 'body'>;
};

/** What a call authenticates with besides the session cookie. */
export interface ClientAuth {
  /** The session's CSRF token, sent on every write. */
  csrfToken?: string;
  /** A bearer token: only to exchange it for a session. */
  bearer?: string;
}

const SAFE_METHODS = new Set(['get', 'head']);

export function createClient(getAuth: () => ClientAuth = () => ({}), baseUrl = '') {
  return async function call<N extends RouteName>(
    name: N,
    options: CallOptions<N> = {},
  ): Promise<Answer<N>> {
    const spec = routes[name];
    let path: string = spec.path;
    for (const [key, value] of Object.entries((options.params ?? {}) as Record<string, unknown>)) {
      path = path.replace(`:${key}`, encodeURIComponent(String(value)));
    }
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries((options.query ?? {}) as Record<string, unknown>)) {
      // Query fields are scalars (the contract's query schemas); anything else goes as JSON.
      if (value !== undefined) {
        const scalar =
          typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
        query.set(key, scalar ? String(value) : JSON.stringify(value));
      }
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    const auth = getAuth();
    if (auth.bearer) headers.authorization = `Bearer ${auth.bearer}`;
    if (auth.csrfToken && !SAFE_METHODS.has(spec.method)) headers['x-csrf-token'] = auth.csrfToken;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}${query.size ? `?${query}` : ''}`, {
        method: spec.method.toUpperCase(),
        headers,
        credentials: 'same-origin',
        ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
      });
    } catch (error) {
      // Whatever the browser says (`TypeError: Failed to fetch`) means nothing to a user.
      const detail = `No answer from the server: it may be down, or the network out (${String(error)}).`;
      throw new ApiError({ status: 0, title: 'Network error', detail, errors: [] });
    }
    const text = await response.text();
    const data: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const problem = (data ?? {}) as Partial<Problem>;
      throw new ApiError({
        status: response.status,
        title: problem.title ?? response.statusText,
        ...(problem.detail !== undefined && { detail: problem.detail }),
        ...(problem.code !== undefined && { code: problem.code }),
        errors: problem.errors ?? [],
      });
    }
    // The server answers what the contract declares (the server tests check every answer).
    return data as Answer<N>;
  };
}

export type Api = ReturnType<typeof createClient>;
