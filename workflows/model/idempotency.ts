/**
 * Idempotency keys as payment APIs have them (SPEC §3): a key is scoped to (caller, action,
 * target); an entry keeps a fingerprint of the request and the compact answer, never the
 * request or the node. Workflow code and the API compute the same values with these pure
 * functions (SHA-256 from @noble/hashes: pure JavaScript, deterministic in the sandbox).
 */
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { ACTIONS, bodyFields, type ActionName } from './actions';

/**
 * How long and how many keys are remembered: a key answers its first result again for 24
 * hours. The workflow keeps at most `perProject` of them in its state (the newest); the app
 * database keeps every key of the window, so a key also answers after continue-as-new and
 * after the project closed.
 */
export const IDEMPOTENCY_WINDOW = { ms: 24 * 60 * 60 * 1000, perProject: 100 } as const;

/** SHA-256 of `text` (UTF-8), as lower-case hex. */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/** JSON with object keys sorted at every level: equal values, equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * What the key functions read of a request: its caller and key, and (through the action's
 * table) its target and body fields. An `ActionInput` is one; so is the part of a bulk
 * migration's Update that a record write recognises it by (model/bulk-migration.ts).
 */
export type KeyedRequest = {
  actor: { userId: string };
  idempotencyKey?: string | undefined;
};

/** The request's own fields: path parameters and body, without the key (nor caller or extras). */
function requestFields(name: ActionName, input: KeyedRequest): Record<string, unknown> {
  const spec = ACTIONS[name];
  const fields = [
    ...Object.keys(spec.params.shape).filter((f) => f !== 'id'),
    ...Object.keys(bodyFields(spec.body).shape).filter((f) => f !== 'idempotencyKey'),
  ];
  const values = input as Record<string, unknown>;
  return Object.fromEntries(fields.map((f) => [f, values[f]]));
}

/** A digest of what was asked: the same body gives the same fingerprint. */
export function requestFingerprint(name: ActionName, input: KeyedRequest): string {
  return sha256Hex(canonicalJson({ action: name, request: requestFields(name, input) })).slice(
    0,
    32,
  );
}

/**
 * Where a key lives: (caller, action, target, key). Another caller, action or target never
 * meets the same entry. Undefined when the input carries no key.
 */
export function keyScope(name: ActionName, input: KeyedRequest): string | undefined {
  if (input.idempotencyKey === undefined) return undefined;
  const values = input as Record<string, unknown>;
  const target = ACTIONS[name].target.map((field) => values[field] ?? null);
  return `k${sha256Hex(canonicalJson([input.actor.userId, name, target, input.idempotencyKey])).slice(0, 32)}`;
}

/**
 * The Temporal Update id of a keyed request: the same request sent again joins the first one
 * (also while it is still in flight); another body under the same key reaches the workflow,
 * which refuses it.
 */
export function updateIdOf(name: ActionName, scope: string, fingerprint: string): string {
  return `${name}:${scope}:${fingerprint}`;
}
