/**
 * The simulation's feedback loop (issue 13, item 6): anyone taking part posts feedback or a
 * lesson (frontline staff first, when the template has them), the stewards of the node it was
 * posted at acknowledge it, and whoever it then waits for closes it as acted on or declined.
 * Answers are offered from `nextActions`, each by the participant whose inbox the item is in,
 * so the simulation refuses what the workflow would; `simFeedback` is what the PIR shows.
 */
import type { NextAction } from '../../../workflows/lifecycle';
import type { FeedbackEntry, FeedbackStatus } from '../../../workflows/model';
import { stepOf, type Offer, type SimAction, type SimInputs } from './sim-actions';
import type { SimSession } from './simulation';

/** What the simulation posts and answers: the inputs' values, else these. */
export interface SimFeedbackInput {
  /** The poster (a participant's user id); default: the first frontline user, else anyone. */
  by?: string;
  kind?: 'feedback' | 'lesson';
  text?: string;
  /** The response an item is closed with. */
  response?: string;
}

/** The role whose users post first: the built-in's optional frontline participants. */
export const FRONTLINE_ROLE = 'frontline';

/** Posting, then for each item not closed its answers by whoever it waits for. */
export function feedbackActions(
  session: SimSession,
  inputs: SimInputs,
  offer: (match: (a: NextAction) => boolean) => Offer | undefined,
): SimAction[] {
  const { state } = session.machine;
  const input = inputs.feedback ?? {};
  const actions: SimAction[] = [];
  const users = [...new Set(Object.values(state.participants).flat())];
  const by = input.by ?? state.participants[FRONTLINE_ROLE]?.[0] ?? users[0];
  if (by !== undefined && users.includes(by)) {
    const kind = input.kind ?? 'feedback';
    const text = input.text ?? 'Simulated feedback';
    actions.push({
      id: 'post-feedback',
      kind: 'post-feedback',
      label: `${by}: post ${kind === 'lesson' ? 'lesson' : 'feedback'} "${text}"`,
      steps: [{ actor: by, command: { type: 'feedback', kind, text } }],
    });
  }
  const response = input.response ?? 'Simulated response';
  for (const f of state.feedback) {
    if (f.status === 'acted_on' || f.status === 'declined') continue;
    // Whoever the item waits for (its inbox), else anyone who may answer it, else the PMO.
    const answers = (a: NextAction) => a.action === 'answer-feedback' && a.itemId === f.id;
    const answerer = offer((a) => answers(a) && a.pending) ?? offer(answers);
    if (!answerer) continue;
    const what = `${f.kind} ${f.id}`;
    const answer = (status: Exclude<FeedbackStatus, 'open'>, label: string): SimAction => ({
      id: `${status.replace('_', '-')}-${f.id}`,
      kind: ANSWER_KINDS[status],
      label: `${answerer.actor}: ${label} ${what}`,
      ...(f.nodeId !== undefined && { nodeId: f.nodeId }),
      steps: [
        stepOf(answerer, {
          type: 'feedbackStatus',
          feedbackId: f.id,
          status,
          ...(status !== 'acknowledged' && { response }),
        }),
      ],
    });
    if (f.status !== 'acknowledged') actions.push(answer('acknowledged', 'acknowledge'));
    actions.push(answer('acted_on', 'act on'), answer('declined', 'decline'));
  }
  return actions;
}

const ANSWER_KINDS = {
  acknowledged: 'acknowledge-feedback',
  acted_on: 'act-on-feedback',
  declined: 'decline-feedback',
} as const;

/** A feedback item as the simulation's PIR shows it: what was posted and what became of it. */
export type SimFeedbackItem = Pick<
  FeedbackEntry,
  'id' | 'kind' | 'by' | 'at' | 'nodeId' | 'owner' | 'statusBy'
> & { text: string; status: FeedbackStatus; response?: string };

/**
 * Every item posted in the session, oldest first, with its text and its answer as the audit
 * trail has them (the state keeps texts by digest only), and how many feedback items were acted
 * on: the PIR's "what was acted on".
 */
export function simFeedback(session: SimSession): {
  items: SimFeedbackItem[];
  actedOn: number;
  feedback: number;
} {
  const items = new Map<string, SimFeedbackItem>();
  for (const event of session.events) {
    if (event.kind !== 'audit') continue;
    const { action, detail, actor, at, nodeId } = event.audit;
    const id = typeof detail?.id === 'string' ? detail.id : undefined;
    if (id === undefined) continue;
    if (action === 'feedback.recorded' || action === 'lesson.recorded') {
      items.set(id, {
        id,
        kind: action === 'lesson.recorded' ? 'lesson' : 'feedback',
        text: typeof detail?.text === 'string' ? detail.text : '',
        by: actor,
        at,
        ...(nodeId !== undefined && { nodeId }),
        status: 'open',
      });
    } else if (action === 'feedback.status') {
      const item = items.get(id);
      const status = detail?.status;
      if (!item || typeof status !== 'string') continue;
      items.set(id, {
        ...item,
        status: status as FeedbackStatus,
        statusBy: actor,
        ...(typeof detail?.owner === 'string' && { owner: detail.owner }),
        ...(typeof detail?.response === 'string' && { response: detail.response }),
      });
    }
  }
  const all = [...items.values()];
  const feedback = all.filter((f) => f.kind === 'feedback');
  return {
    items: all,
    actedOn: feedback.filter((f) => f.status === 'acted_on').length,
    feedback: feedback.length,
  };
}
