/**
 * Idempotency keys in the interpreter (SPEC §3, model/idempotency.ts): a command's key is
 * looked up before anything is applied (the first answer again, or a refusal for another
 * body), and remembered once the command is applied: in the state (the newest, within the
 * window) and as an effect, for the app database. Commands from Updates recorded before keys
 * were scoped (`legacy`) keep their old meaning: matched by key and action type alone.
 */
import { actionOf } from '../model/actions';
import { IDEMPOTENCY_WINDOW, keyScope, requestFingerprint } from '../model/idempotency';
import { compactResult } from '../model/state-migrations';
import type { ActionResult, Command, ProjectState } from '../model';
import { frozen, type Step } from './context';
import type { Decision, Machine } from './machine';

const refusal = (code: 'invalid_input' | 'idempotency_key_reused', message: string): Decision => ({
  ok: false,
  rejection: { code, message, path: ['idempotencyKey'] },
});
const replayed = (machine: Machine, result: ActionResult): Decision => ({
  ok: true,
  machine,
  result,
  effects: { audits: [], notifications: [], texts: [], keys: [] },
  replayed: true,
});

/** Keys of Updates sent before keys were scoped, kept as they were (see ProjectState). */
const LEGACY_KEYS_LIMIT = 1000;

export interface KeyUse {
  /** Set when the key answers by itself: the first answer again, or a refusal. */
  answer?: (machine: Machine) => Decision;
  /** Remembers the key with the answer of the applied command. */
  remember(step: Step, result: ActionResult): void;
}

/** What the command's key (if any) means in `state` at `now`. */
export function keyOf(state: ProjectState, command: Command, now: number, legacy: boolean): KeyUse {
  const none: KeyUse = { remember: () => undefined };
  if (command.idempotencyKey === undefined) return none;
  if (legacy) {
    const key = `k:${command.idempotencyKey}`;
    const previous = state.idempotency[key];
    if (previous === undefined) {
      return { remember: (step, result) => rememberLegacy(step.state, key, command.type, result) };
    }
    return {
      ...none,
      answer: (machine) =>
        previous.type !== command.type
          ? refusal('invalid_input', 'this idempotency key was used for another action')
          : replayed(machine, previous.result),
    };
  }
  const name = actionOf(command.type);
  const scope = keyScope(name, command)!;
  const fingerprint = requestFingerprint(name, command);
  const entry = state.keys[scope];
  if (!entry || now - entry.at > IDEMPOTENCY_WINDOW.ms) {
    return { remember: (step, result) => remember(step, scope, fingerprint, result) };
  }
  return {
    ...none,
    answer: (machine) => {
      if (entry.fp !== fingerprint) {
        return refusal(
          'idempotency_key_reused',
          'this idempotency key was already used by you for this action with another body',
        );
      }
      const id = entry.result.nodeId;
      const node = id !== undefined ? machine.state.nodes[id] : undefined;
      return replayed(machine, { ...entry.result, ...(node && { node }), replayed: true });
    },
  };
}

/** Keeps the key's entry in the state (newest last, within the window) and records it. */
function remember(step: Step, scope: string, fp: string, result: ActionResult): void {
  const { state, now } = step;
  const entry = frozen({ fp, at: now, result: compactResult(result) });
  const keys = Object.entries(state.keys).filter(
    ([k, e]) => k !== scope && now - e.at <= IDEMPOTENCY_WINDOW.ms,
  );
  keys.push([scope, entry]);
  state.keys = Object.fromEntries(keys.slice(-IDEMPOTENCY_WINDOW.perProject));
  step.keys.push({ projectId: state.id, scope, ...entry });
}

function rememberLegacy(state: ProjectState, key: string, type: string, result: ActionResult) {
  state.idempotency[key] = frozen({ type, result: compactResult(result) });
  const keys = Object.keys(state.idempotency);
  for (const old of keys.slice(0, Math.max(0, keys.length - LEGACY_KEYS_LIMIT))) {
    delete state.idempotency[old];
  }
}
