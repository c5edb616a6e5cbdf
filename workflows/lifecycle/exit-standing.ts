/**
 * What an escalation of an unaccepted hypercare exit tells its reader (patch
 * "hypercare-exit-notices"): whose acceptance is missing, by name, and what can be done about
 * it: who can accept or extend, and where (the notification's link opens the hypercare step).
 */
import { durationInWords } from '../model/duration';
import { mention } from '../model/people';
import { ruleTallies, signerRoles } from '../model/signers';
import type { NodeOf } from '../model';
import type { Step } from './context';

type HypercareNode = NodeOf<'hypercare'>;

/**
 * Patch id: a run begun after it tells, in each escalation of an unaccepted hypercare exit, who
 * must still accept and what the reader can do. Asked once per run, as the escalations are
 * decided by timers (`tick`); a run begun before keeps its wording.
 */
export const HYPERCARE_EXIT_NOTICES = 'hypercare-exit-notices';

/** The lines an escalation adds, and the people they mention (by id). */
export function exitStanding(step: Step, node: HypercareNode): { text: string; people: string[] } {
  const rec = step.peek(node.id)!;
  const voted = new Set(rec.votes.map((v) => v.userId));
  const people = new Set<string>();
  const names = (ids: readonly string[]) => {
    for (const id of ids) people.add(id);
    return ids.map(mention).join(' or ') || 'nobody (the role has no participant left)';
  };
  const waiting = ruleTallies(node, rec.votes)
    .filter((t) => !t.met)
    .map((t) => {
      const who = (step.state.participants[t.role] ?? []).filter((u) => !voted.has(u));
      const more = t.min - t.go;
      return `- ${names(who)} (${step.roleName(t.role)}${more > 1 ? `: ${more} of them` : ''})`;
    });
  const signers = [
    ...new Set(signerRoles(node).flatMap((r) => step.state.participants[r] ?? [])),
  ].filter((u) => !voted.has(u));
  const hc = rec.hypercare!;
  const left = node.extendBy !== undefined ? (node.maxExtensions ?? 0) - hc.extensions : 0;
  const extend =
    left > 0
      ? ` or extend hypercare by ${durationInWords(node.extendBy!)} with a reason ` +
        `(${left} extension${left > 1 ? 's' : ''} left)`
      : ' (it cannot be extended any more)';
  return {
    text:
      `\nWaiting for acceptance from:\n${waiting.join('\n')}\n` +
      `What you can do: open the hypercare step (this message's link) to see what is still open, ` +
      `and ask them to act: ${names(signers)} can accept the exit there (sign it off)${extend}.`,
    people: [...people],
  };
}
