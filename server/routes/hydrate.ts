/**
 * A project's state as clients read it: the workflow keeps long texts in the app database and
 * names them by digest (`commentRef`, `textRef`, …: TextRef in the model); the answers of
 * `GET /api/projects/:id`, the event stream and the actions put each text back beside its ref
 * (`comment`, `text`, …), so the shape clients know stays the same. Feedback: the state keeps
 * the latest entries, the audit trail has every one.
 */
import type { Kysely } from 'kysely';
import { getTexts, listFeedback, type Database } from '../../db';
import { sha256Hex, type FeedbackEntry, type ProjectState } from '../../workflows/model';
import type { ProjectStateView } from '../contract';

const REF = /^(.+)Ref$/;

function isTextRef(value: unknown): value is { length: number; sha256: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { sha256?: unknown }).sha256 === 'string'
  );
}

/** Every digest a value refers to. */
function digestsIn(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) digestsIn(v, into);
  else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (REF.test(key) && isTextRef(v)) into.push(v.sha256);
      else digestsIn(v, into);
    }
  }
  return into;
}

/** A copy of `value` with each referenced text put back where a ref names it. */
function withTexts<T>(value: T, texts: ReadonlyMap<string, string>): T {
  if (Array.isArray(value)) return value.map((v: unknown) => withTexts(v, texts)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = withTexts(v, texts);
    const field = REF.exec(key)?.[1];
    if (field !== undefined && isTextRef(v)) {
      const text = texts.get(v.sha256);
      if (text !== undefined) out[field] = text;
    }
  }
  return out as T;
}

/**
 * `value` with its texts: from the app database, and from `known` strings (an action's own
 * input: its texts are answered before the record write has stored them).
 */
export async function hydrateTexts<T>(
  db: Kysely<Database>,
  projectId: string,
  value: T,
  known: readonly string[] = [],
): Promise<T> {
  const digests = digestsIn(value);
  if (digests.length === 0) return value;
  const texts = await getTexts(db, projectId, digests);
  for (const text of known) texts.set(sha256Hex(text), text);
  return withTexts(value, texts);
}

/**
 * The state as clients see it: with its texts, every feedback entry of the audit trail, and
 * without the workflow's idempotency bookkeeping (`keys`, the legacy `idempotency`: not
 * project data, and a legacy entry names a caller's raw key).
 */
export async function hydrateState(
  db: Kysely<Database>,
  state: ProjectState,
): Promise<ProjectStateView> {
  const { keys: _keys, idempotency: _legacyKeys, ...shown } = state;
  const recorded = await listFeedback(db, state.id);
  const byId = new Map<string, FeedbackEntry>(recorded.map((f) => [f.id, f]));
  for (const f of state.feedback) byId.set(f.id, { ...byId.get(f.id), ...f });
  const feedback = [...byId.values()].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
  return hydrateTexts(db, state.id, { ...shown, feedback });
}

/** Every string of an action's input (its own texts, for `hydrateTexts`). */
export function stringsOf(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsOf(v, into);
  else if (value !== null && typeof value === 'object')
    for (const v of Object.values(value)) stringsOf(v, into);
  return into;
}
