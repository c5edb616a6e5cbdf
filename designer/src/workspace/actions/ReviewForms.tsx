/**
 * What a post-implementation review's reviewers record while it is current: a decision, and a
 * follow-up action with its owner (a role, or one participant) and its due date (an ISO
 * duration or a calendar date). Refusals show under the form with the field at fault.
 */
import { useState } from 'react';
import type { Template } from '../../../../workflows/model';
import type { ProjectStateView } from '../types';
import { useSession } from '../../shell/session';
import { useNameOf } from '../people';
import { useIdempotencyKey, useSubmit } from '../ui/hooks';
import { ActionFormShell } from './SimpleForms';

type Done = (message: string) => void;

/**
 * A text a reviewer records, sent with the form's idempotency key, and the props of the form
 * that sends it: a success empties the text and renews the key (the next one is a new record)
 * before `onDone` tells the panel with `message`.
 */
function useRecordText(
  send: (text: string, idempotencyKey: string) => Promise<unknown>,
  onDone: Done,
  message: string,
) {
  const [text, setText] = useState('');
  const [key, renew] = useIdempotencyKey();
  const submit = useSubmit(() => send(text.trim(), key));
  const shell = {
    onSubmit: async () => {
      const ok = await submit.run();
      if (ok) {
        setText('');
        renew();
        onDone(message);
      }
      return ok;
    },
    error: submit.error,
  };
  const button = { pending: submit.pending, disabled: !text.trim() };
  return { text, setText, shell, button };
}

export function ReviewDecisionForm({
  projectId,
  nodeId,
  onDone,
}: {
  projectId: string;
  nodeId: string;
  onDone: Done;
}) {
  const { api } = useSession();
  const { text, setText, shell, button } = useRecordText(
    (trimmed, idempotencyKey) =>
      api('recordReviewDecision', {
        params: { id: projectId, nodeId },
        body: { text: trimmed, idempotencyKey },
      }),
    onDone,
    'Decision recorded.',
  );
  return (
    <ActionFormShell
      {...shell}
      testId="pir-decision-form"
      submit={{ label: 'Record decision', ...button, why: 'Write the decision first.' }}
    >
      <div className="field">
        <label htmlFor={`pir-decision-${nodeId}`}>Decision</label>
        <input
          id={`pir-decision-${nodeId}`}
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-testid="pir-decision-text"
        />
      </div>
    </ActionFormShell>
  );
}

/** Owner choices: `role:<key>` or `user:<id>` (a participant, in their role). */
function ownerOptions(state: ProjectStateView, template: Template, nameOf: (id: string) => string) {
  const roles = template.roles
    .filter((r) => (state.participants[r.key] ?? []).length > 0)
    .map((r) => ({ value: `role:${r.key}`, label: `${r.name} (anyone)` }));
  const users = [...new Set(Object.values(state.participants).flat())].map((id) => ({
    value: `user:${id}`,
    label: nameOf(id),
  }));
  return [...roles, ...users];
}

export function ReviewActionForm({
  state,
  template,
  nodeId,
  onDone,
}: {
  state: ProjectStateView;
  template: Template;
  nodeId: string;
  onDone: Done;
}) {
  const { api } = useSession();
  const nameOf = useNameOf();
  const options = ownerOptions(state, template, nameOf);
  const [owner, setOwner] = useState(options[0]?.value ?? '');
  const [due, setDue] = useState('P30D');
  const [kind, who] = [owner.slice(0, owner.indexOf(':')), owner.slice(owner.indexOf(':') + 1)];
  const { text, setText, shell, button } = useRecordText(
    (trimmed, idempotencyKey) =>
      api('recordReviewAction', {
        params: { id: state.id, nodeId },
        body: {
          text: trimmed,
          due: due.trim(),
          ...(kind === 'role' ? { owner: who } : { assignee: who }),
          idempotencyKey,
        },
      }),
    onDone,
    'Follow-up action set.',
  );
  return (
    <ActionFormShell
      {...shell}
      testId="pir-action-form"
      submit={{ label: 'Set action', ...button, why: 'Describe the follow-up action first.' }}
    >
      <div className="form-inline">
        <div className="field grow">
          <label htmlFor={`pir-action-${nodeId}`}>Follow-up action</label>
          <input
            id={`pir-action-${nodeId}`}
            value={text}
            onChange={(e) => setText(e.target.value)}
            data-testid="pir-action-text"
          />
        </div>
        <div className="field">
          <label htmlFor={`pir-action-owner-${nodeId}`}>Owner</label>
          <select
            id={`pir-action-owner-${nodeId}`}
            value={owner}
            onChange={(e) => setOwner(e.target.value)}
            data-testid="pir-action-owner"
          >
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`pir-action-due-${nodeId}`}>Due (P30D or 2027-03-31)</label>
          <input
            id={`pir-action-due-${nodeId}`}
            value={due}
            onChange={(e) => setDue(e.target.value)}
            data-testid="pir-action-due"
          />
        </div>
      </div>
    </ActionFormShell>
  );
}
