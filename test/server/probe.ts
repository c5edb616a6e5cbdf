/**
 * Low-level HTTP probing for the authorization and bad-input tests: requests with any method,
 * headers and raw body (an event stream is cut after its headers), the shape every error must
 * have, and a snapshot of everything the stack persists, to prove a rejection wrote nothing.
 */
import { sql, type Kysely } from 'kysely';
import type { Client } from '@temporalio/client';
import type { Database } from '../../db';
import { projectWorkflowId } from '../../workflows/messages';

export interface Probe {
  method: string;
  path: string;
  token?: string;
  headers?: Record<string, string>;
  /** Sent as JSON (content-type defaults to application/json). */
  body?: unknown;
  /** Sent as is (no content-type unless `headers` gives one). */
  raw?: string | Uint8Array;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- answers are probed freely
}

export async function send(baseUrl: string, probe: Probe): Promise<Answer> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(probe.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  if (probe.token !== undefined) headers.authorization = `Bearer ${probe.token}`;
  let body = probe.raw;
  if (probe.body !== undefined) {
    body = JSON.stringify(probe.body);
    headers['content-type'] ??= 'application/json';
  }
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 15_000);
  try {
    const response = await fetch(`${baseUrl}${probe.path}`, {
      method: probe.method,
      headers,
      redirect: 'manual',
      signal: abort.signal,
      ...(body !== undefined && { body }),
    });
    if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
      // A stream never ends by itself: its status and headers are the answer.
      abort.abort();
      return { status: response.status, headers: response.headers, text: '', json: undefined };
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  } finally {
    clearTimeout(timer);
  }
}

/** The members of an RFC 9457 problem as server/problem.ts writes it; nothing else may show. */
export const PROBLEM_KEYS = ['type', 'title', 'status', 'detail', 'code', 'instance', 'errors'];

/** Why `answer` is not a well-formed problem+json of its own status, or undefined when it is. */
export function problemFlaw(answer: Answer): string | undefined {
  const type = answer.headers.get('content-type') ?? '';
  if (!type.startsWith('application/problem+json')) return `content-type "${type}"`;
  const body: unknown = answer.json;
  if (typeof body !== 'object' || body === null) return `body ${answer.text.slice(0, 200)}`;
  const extra = Object.keys(body).filter((k) => !PROBLEM_KEYS.includes(k));
  if (extra.length > 0) return `unexpected members ${extra.join(', ')}`;
  const problem = body as { status?: unknown; errors?: unknown };
  if (problem.status !== answer.status) return `status member ${String(problem.status)}`;
  if (!Array.isArray(problem.errors)) return 'no errors[]';
  const pathless = problem.errors.find(
    (e: unknown) => !Array.isArray((e as { path?: unknown } | null)?.path),
  );
  if (pathless !== undefined) return `an error without a path: ${JSON.stringify(pathless)}`;
  return undefined;
}

/** Tables that belong to the migration tool, not to the app. */
const TOOL_TABLES = /^kysely_/;
/** Columns a request may touch without writing anything (token use, once a minute). */
const VOLATILE_COLUMNS = new Set(['last_used_at']);

/**
 * Everything the stack persists, as one comparable string: every row of every app table (found
 * by introspection, so a new table is covered without edits) and the history length of every
 * project workflow.
 */
export async function snapshot(db: Kysely<Database>, client: Client): Promise<string> {
  const tables = (await db.introspection.getTables())
    .map((t) => t.name)
    .filter((name) => !TOOL_TABLES.test(name))
    .sort();
  const out: Record<string, unknown> = {};
  for (const table of tables) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(
      db,
    );
    out[table] = rows
      .map((row) =>
        JSON.stringify(Object.entries(row).filter(([column]) => !VOLATILE_COLUMNS.has(column))),
      )
      .sort();
  }
  const projects = await db.selectFrom('projects').select('id').orderBy('id').execute();
  for (const { id } of projects) {
    const history = await client.workflow.getHandle(projectWorkflowId(id)).fetchHistory();
    out[`history:${id}`] = history.events?.length ?? 0;
  }
  return JSON.stringify(out);
}

/**
 * Waits until the worker has finished writing (audit, inbox, read model, deliveries): two
 * snapshots in a row agree. Returns that snapshot.
 */
export async function settle(db: Kysely<Database>, client: Client): Promise<string> {
  const deadline = Date.now() + 30_000;
  let last = await snapshot(db, client);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const next = await snapshot(db, client);
    if (next === last) return next;
    if (Date.now() > deadline) throw new Error('the stack never settled');
    last = next;
  }
}

/** Where two snapshots differ, for a readable failure. */
export function snapshotDiff(before: string, after: string): string[] {
  const a = JSON.parse(before) as Record<string, unknown>;
  const b = JSON.parse(after) as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
    (key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]),
  );
}
