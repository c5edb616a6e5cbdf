/** Effects (what a step asks to record and notify) in parts of bounded size. */
import { utf8Bytes } from '../model/text';
import type { ProjectState } from '../model';
import type { Effects } from './machine';

/** Most bytes of effects one record write carries (the latest state comes on top). */
export const RECORD_BATCH_BYTES = 64 * 1024;

/**
 * The state rides with the last part of effects only when that part is at most this big;
 * otherwise it is written on its own, so no record write carries a large part and the state.
 */
export const SNAPSHOT_WITH_PART_BYTES = 32 * 1024;

/**
 * Effects in parts of at most `budget` bytes each (one item larger than that goes alone), in
 * the order they must be written: audit entries first (in sequence), then texts and keys, then
 * notifications. Every record write then stays small whatever one step emitted.
 */
export function splitEffects(effects: Effects, budget: number): Effects[] {
  const parts: Effects[] = [];
  let part: Effects = { audits: [], notifications: [], texts: [], keys: [] };
  let bytes = 0;
  const add = <K extends keyof Effects>(kind: K, item: Effects[K][number]) => {
    const size = utf8Bytes(JSON.stringify(item));
    if (bytes > 0 && bytes + size > budget) {
      parts.push(part);
      part = { audits: [], notifications: [], texts: [], keys: [] };
      bytes = 0;
    }
    (part[kind] as Effects[K][number][]).push(item);
    bytes += size;
  };
  for (const a of effects.audits) add('audits', a);
  for (const t of effects.texts) add('texts', t);
  for (const k of effects.keys) add('keys', k);
  for (const n of effects.notifications) add('notifications', n);
  parts.push(part);
  return parts;
}

/**
 * The state as the read model stores it: without its idempotency keys, which the record write
 * keeps in a table of their own (each decision's new key comes with its effects) and which
 * nothing reads from the stored state. They are a quarter of a state's bytes, which every
 * record write would otherwise serialise, carry to the activity, parse and store again. The
 * legacy map of a run recorded before keys were scoped (`idempotency`, emptied at its next
 * continue-as-new) stays out too: only the workflow reads it, and its entries name the raw
 * keys callers sent.
 */
export function recordedState(state: ProjectState): ProjectState {
  return { ...state, keys: {}, idempotency: {} };
}
