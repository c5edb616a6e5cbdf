/**
 * What every part of the route table (server/contract.ts) shares: the shape of a route, the
 * fields many routes take, and the problems every route may answer. Imports only zod and the
 * model, like the contract.
 */
import { z } from 'zod';
import type { EventStream } from './contract-events';

/** Who may call a route. `project`: a participant of the project, or a PMO/admin user. */
export type Access = 'anyone' | 'user' | 'pmo' | 'admin' | 'project';

/**
 * What a success answers: a JSON body (its schema), an event stream, CSV text (a download), or
 * no body (204, 303).
 */
export type ResponseBody = z.ZodType | 'event-stream' | 'csv' | 'none';

/** Problem codes by HTTP status. */
export type ProblemCodes = Readonly<Partial<Record<number, readonly string[]>>>;

interface RouteFields {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  access: Access;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Success status. */
  status: number;
  /** Other successes the route may answer, by status (204 ending an event stream). */
  otherResponses?: Readonly<Record<number, ResponseBody>>;
  /** The route's own problems, besides those every route may answer (`problemsOf`). */
  problems?: ProblemCodes;
}

/** A route: what its success answers, and for an event stream every event it sends. */
export type RouteSpec = RouteFields &
  /** What the success answers; an event stream declares each event it sends. */
  (
    | { response: 'event-stream'; events: EventStream }
    | { response: Exclude<ResponseBody, 'event-stream'>; events?: undefined }
  );

/** Path ids and project params: the model's, which the action routes use too. */
export { PathId as Id, ProjectParams } from '../workflows/model';
export const Cursor = z.string().max(500).optional();
export const Limit = z.coerce.number().int().min(1).max(200).optional();

/**
 * Why a bearer JWT of the identity provider signs nobody in (server/oidc/identity.ts): a
 * domain not allowed, or no account it may be linked to.
 */
export const SIGN_IN_REFUSALS = [
  'sso_domain_not_allowed',
  'sso_not_provisioned',
  'sso_privileged_account',
  'sso_linked_elsewhere',
] as const;

/**
 * Every problem a route may answer: its own, and what the layers in front of every handler
 * answer (parsing, the gate's sign-in, role, CSRF and rate checks, a part that is down).
 */
export function problemsOf(spec: RouteSpec): Record<number, string[]> {
  const out: Record<number, string[]> = {};
  const add = (status: number, ...codes: string[]) => {
    out[status] = [...new Set([...(out[status] ?? []), ...codes])];
  };
  add(400, 'invalid_request', 'malformed_path', 'malformed_json', 'unreadable');
  add(403, 'host_not_allowed');
  if (spec.method !== 'get') add(403, 'csrf_token_invalid');
  if (spec.access !== 'anyone') {
    add(401, 'unauthorized');
    add(403, 'forbidden', ...SIGN_IN_REFUSALS);
    add(503, 'identity_provider_unavailable');
  }
  if (spec.params || spec.access === 'project') add(404, 'not_found');
  // Any body sent is read as JSON, also where the route takes none: over the limit, or one
  // the parser cannot read (its encoding, its charset).
  add(413, 'body_too_large');
  add(415, 'unreadable');
  if (spec.body) {
    add(415, 'unsupported_media_type');
    // Well-formed, but over a cap of its schema or holding text no store can keep.
    add(422, 'unprocessable_content');
  }
  if (spec.path.startsWith('/api/')) add(429, 'too_many_requests');
  add(500, 'internal');
  add(503, 'unavailable');
  for (const [status, codes] of Object.entries(spec.problems ?? {})) {
    add(Number(status), ...(codes ?? []));
  }
  return out;
}
