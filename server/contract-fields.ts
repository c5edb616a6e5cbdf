/**
 * What every part of the route table (server/contract.ts) shares: the shape of a route and the
 * fields many routes take. Imports only zod, like the contract.
 */
import { z } from 'zod';

/** Who may call a route. `project`: a participant of the project, or a PMO/admin user. */
export type Access = 'anyone' | 'user' | 'pmo' | 'admin' | 'project';

export interface RouteSpec {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  access: Access;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Success status. */
  status: number;
  /** Failure statuses worth documenting besides 400/401/403/404. */
  failures?: number[];
}

export const Id = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits, . _ : -');
export const ProjectParams = z.object({ id: Id });
export const Cursor = z.string().max(500).optional();
export const Limit = z.coerce.number().int().min(1).max(200).optional();
