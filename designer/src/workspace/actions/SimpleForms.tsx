/** The small action forms: submit a deliverable, complete a stage, meet a condition, give a reason. */
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import type { Deliverable, NodeRecord, Obligation } from '../../../../workflows/model';
import { useSession } from '../../shell/session';
import { formatDateTime } from '../logic/time';
import { useIdempotencyKey, useSubmit } from '../ui/hooks';
import { DisabledWhy, ProblemView, whyProps } from '../ui/states';

type Done = (message: string) => void;

/** A form with its problem view and one submit button (the small action forms share it). */
export function ActionFormShell({
  onSubmit,
  error,
  children,
  testId,
  submit,
}: {
  onSubmit: () => Promise<boolean>;
  error: unknown;
  children?: ReactNode;
  testId: string;
  /** `why`: what the user must do first, said beside the button while it is disabled. */
  submit: { label: string; pending: boolean; disabled?: boolean; danger?: boolean; why?: string };
}) {
  const whyId = useId();
  const why = submit.disabled && !submit.pending ? submit.why : undefined;
  const handle = (e: FormEvent) => {
    e.preventDefault();
    void onSubmit();
  };
  return (
    <form className="form" onSubmit={handle} data-testid={testId}>
      {children}
      <ProblemView error={error} />
      <div className="form-actions">
        <button
          type="submit"
          className={submit.danger ? 'btn btn-danger' : 'btn btn-primary'}
          disabled={submit.pending || submit.disabled}
          {...whyProps(whyId, why)}
          data-testid={`${testId.replace(/-form$/, '')}-submit`}
        >
          {submit.pending ? 'Working…' : submit.label}
        </button>
        <DisabledWhy id={whyId} why={why} />
      </div>
    </form>
  );
}

export function DeliverableForm({
  projectId,
  nodeId,
  deliverable,
  onDone,
}: {
  projectId: string;
  nodeId: string;
  deliverable: Deliverable;
  onDone: Done;
}) {
  const { api } = useSession();
  const [url, setUrl] = useState('');
  const [text, setText] = useState('');
  const [key, renew] = useIdempotencyKey();
  const submit = useSubmit(() =>
    api('submitDeliverable', {
      params: { id: projectId, nodeId, deliverableId: deliverable.id },
      body: {
        ...(url.trim() && { url: url.trim() }),
        ...(text.trim() && { text: text.trim() }),
        idempotencyKey: key,
      },
    }),
  );
  const id = `deliverable-${nodeId}-${deliverable.id}`;
  const run = async () => {
    const ok = await submit.run();
    if (ok) {
      renew();
      onDone(`“${deliverable.name}” submitted.`);
    }
    return ok;
  };
  return (
    <ActionFormShell
      onSubmit={run}
      error={submit.error}
      testId="deliverable-form"
      submit={{
        label: 'Submit deliverable',
        pending: submit.pending,
        disabled: !url.trim() && !text.trim(),
        why: 'Give a link or a text first.',
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-url`}>Link (URL)</label>
        <input
          id={`${id}-url`}
          type="url"
          placeholder="https://…"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          data-testid="deliverable-url"
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-text`}>Or text</label>
        <textarea
          id={`${id}-text`}
          rows={3}
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-testid="deliverable-text"
        />
      </div>
    </ActionFormShell>
  );
}

export function CompleteStageForm({
  projectId,
  nodeId,
  deliverables,
  record,
  onDone,
}: {
  projectId: string;
  nodeId: string;
  deliverables: Deliverable[];
  record: NodeRecord | undefined;
  onDone: Done;
}) {
  const { api } = useSession();
  const [key] = useIdempotencyKey();
  const submit = useSubmit(() =>
    api('completeStage', { params: { id: projectId, nodeId }, body: { idempotencyKey: key } }),
  );
  return (
    <ActionFormShell
      onSubmit={async () => {
        const ok = await submit.run();
        if (ok) onDone('Stage completed.');
        return ok;
      }}
      error={submit.error}
      testId="complete-stage-form"
      submit={{ label: 'Complete stage', pending: submit.pending }}
    >
      {deliverables.length > 0 && (
        <ul className="checklist">
          {deliverables.map((d) => {
            const s = record?.deliverables[d.id];
            return (
              <li key={d.id} className={s ? 'ok' : d.required ? 'missing' : ''}>
                {s ? '✓' : '○'} {d.name}
                {!d.required && <span className="muted"> (optional)</span>}
                {s && <span className="muted small"> · {formatDateTime(s.at)}</span>}
              </li>
            );
          })}
        </ul>
      )}
    </ActionFormShell>
  );
}

/** Marks an obligation met: a condition (its owner role or the PMO), or a review's follow-up action (its owner). */
export function ConditionMetForm({
  projectId,
  condition,
  onDone,
}: {
  projectId: string;
  condition: Obligation;
  onDone: Done;
}) {
  const { api } = useSession();
  const [note, setNote] = useState('');
  const [key] = useIdempotencyKey();
  const body = { ...(note.trim() && { note: note.trim() }), idempotencyKey: key };
  const action = condition.kind === 'review-action';
  const submit = useSubmit(() =>
    action
      ? api('completeReviewAction', { params: { id: projectId, actionId: condition.id }, body })
      : api('conditionMet', { params: { id: projectId, conditionId: condition.id }, body }),
  );
  return (
    <ActionFormShell
      onSubmit={async () => {
        const ok = await submit.run();
        if (ok) onDone(action ? 'Follow-up action done.' : 'Condition marked met.');
        return ok;
      }}
      error={submit.error}
      testId={action ? 'review-action-done-form' : 'condition-met-form'}
      submit={{ label: action ? 'Mark done' : 'Mark met', pending: submit.pending }}
    >
      <div className="field">
        <label htmlFor={`condition-note-${condition.id}`}>
          {action ? 'What was done (optional)' : 'Note (optional)'}
        </label>
        <input
          id={`condition-note-${condition.id}`}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          data-testid={action ? 'review-action-done-note' : 'condition-met-note'}
        />
      </div>
    </ActionFormShell>
  );
}

/** Resume, retire or cancel: an action that needs only a reason. */
export function ReasonForm({
  projectId,
  action,
  onDone,
}: {
  projectId: string;
  action: 'resume' | 'retire' | 'cancel';
  onDone: Done;
}) {
  const { api } = useSession();
  const [reason, setReason] = useState('');
  const [key] = useIdempotencyKey();
  const submit = useSubmit(() =>
    api(action, {
      params: { id: projectId },
      body: { reason: reason.trim(), idempotencyKey: key },
    }),
  );
  const labels = {
    resume: 'Resume project',
    retire: 'Retire (end monitoring)',
    cancel: 'Cancel project',
  };
  return (
    <ActionFormShell
      onSubmit={async () => {
        const ok = await submit.run();
        if (ok) onDone(`${labels[action]}: done.`);
        return ok;
      }}
      error={submit.error}
      testId={`${action}-form`}
      submit={{
        label: labels[action],
        pending: submit.pending,
        disabled: reason.trim() === '',
        why: 'Give a reason first.',
        danger: action === 'cancel',
      }}
    >
      <div className="field">
        <label htmlFor={`${action}-reason-${projectId}`}>Reason</label>
        <textarea
          id={`${action}-reason-${projectId}`}
          rows={2}
          required
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          data-testid={`${action}-reason`}
        />
      </div>
    </ActionFormShell>
  );
}
