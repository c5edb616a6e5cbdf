/** Hypercare actions: raise an issue, resolve one, extend the period with a reason. */
import { useState } from 'react';
import { useSession } from '../../shell/session';
import { blocksExit, type Issue } from '../../../../workflows/model';
import { severityLabel } from '../ui/badges';
import { submitHandler, useIdempotencyKey, useSubmit } from '../ui/hooks';
import { SubmitRow } from '../ui/states';

type Done = (message: string) => void;

export function RaiseIssueForm({
  projectId,
  blockingSeverity,
  onDone,
}: {
  projectId: string;
  blockingSeverity: number;
  onDone: Done;
}) {
  const { api } = useSession();
  const [severity, setSeverity] = useState(2);
  const [title, setTitle] = useState('');
  const [key, renew] = useIdempotencyKey();
  const submit = useSubmit(() =>
    api('raiseIssue', {
      params: { id: projectId },
      body: { severity, title: title.trim(), idempotencyKey: key },
    }),
  );
  const onSubmit = submitHandler(async () => {
    if (await submit.run()) {
      renew();
      setTitle('');
      onDone('Issue raised.');
    }
  });
  return (
    <form className="form form-inline" onSubmit={onSubmit} data-testid="issue-form">
      <div className="field">
        <label htmlFor="issue-severity">Severity</label>
        <select
          id="issue-severity"
          value={severity}
          onChange={(e) => setSeverity(Number(e.target.value))}
          aria-describedby="issue-severity-hint"
          data-testid="issue-severity"
        >
          {[1, 2, 3].map((s) => (
            <option key={s} value={s}>
              {severityLabel(s)}
            </option>
          ))}
        </select>
        <small id="issue-severity-hint" className="hint">
          {blocksExit(severity, blockingSeverity) ? 'blocks the exit' : 'does not block the exit'}
        </small>
      </div>
      <div className="field grow">
        <label htmlFor="issue-title">Issue</label>
        <input
          id="issue-title"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          data-testid="issue-title"
        />
      </div>
      <SubmitRow
        label="Raise issue"
        pendingLabel="Raising…"
        pending={submit.pending}
        disabled={title.trim() === ''}
        testId="issue-submit"
        error={submit.error}
      />
    </form>
  );
}

export function ResolveIssue({
  projectId,
  issue,
  onDone,
}: {
  projectId: string;
  issue: Issue;
  onDone: Done;
}) {
  const { api } = useSession();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [key] = useIdempotencyKey();
  const submit = useSubmit(() =>
    api('resolveIssue', {
      params: { id: projectId, issueId: issue.id },
      body: { ...(note.trim() && { note: note.trim() }), idempotencyKey: key },
    }),
  );
  if (!open) {
    return (
      <button
        type="button"
        className="btn btn-small"
        onClick={() => setOpen(true)}
        data-testid="issue-resolve"
      >
        Resolve
      </button>
    );
  }
  const onSubmit = submitHandler(async () => {
    if (await submit.run()) onDone(`“${issue.title}” resolved.`);
  });
  return (
    <form className="form form-inline" onSubmit={onSubmit} data-testid="issue-resolve-form">
      <div className="field grow">
        <label htmlFor={`resolve-${issue.id}`}>Resolution note (optional)</label>
        <input
          id={`resolve-${issue.id}`}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          autoFocus
        />
      </div>
      <SubmitRow
        label="Mark resolved"
        pending={submit.pending}
        testId="issue-resolve-submit"
        error={submit.error}
      >
        <button type="button" className="btn" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </SubmitRow>
    </form>
  );
}

export function ExtendForm({
  projectId,
  extendBy,
  onDone,
}: {
  projectId: string;
  extendBy: string;
  onDone: Done;
}) {
  const { api } = useSession();
  const [reason, setReason] = useState('');
  const [key, renew] = useIdempotencyKey();
  const submit = useSubmit(() =>
    api('extendHypercare', {
      params: { id: projectId },
      body: { reason: reason.trim(), idempotencyKey: key },
    }),
  );
  const onSubmit = submitHandler(async () => {
    if (await submit.run()) {
      renew();
      setReason('');
      onDone('Hypercare extended.');
    }
  });
  return (
    <form className="form form-inline" onSubmit={onSubmit} data-testid="extend-form">
      <div className="field grow">
        <label htmlFor="extend-reason">Reason to extend by {extendBy}</label>
        <input
          id="extend-reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          data-testid="extend-reason"
        />
      </div>
      <SubmitRow
        label="Extend hypercare"
        className="btn"
        pending={submit.pending}
        disabled={reason.trim() === ''}
        testId="extend-submit"
        error={submit.error}
      />
    </form>
  );
}
