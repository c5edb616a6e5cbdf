/** Hypercare actions: raise an issue, resolve one, extend the period with a reason. */
import { useState, type FormEvent } from 'react';
import { useSession } from '../../shell/session';
import type { Issue } from '../../../../workflows/model';
import { severityLabel } from '../ui/badges';
import { useIdempotencyKey, useSubmit } from '../ui/hooks';
import { ProblemView } from '../ui/states';

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
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (await submit.run()) {
      renew();
      setTitle('');
      onDone('Issue raised.');
    }
  };
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
          {severity >= blockingSeverity ? 'blocks the exit' : 'does not block the exit'}
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
      <div className="form-actions">
        <button
          type="submit"
          className="btn btn-primary"
          disabled={submit.pending || title.trim() === ''}
          data-testid="issue-submit"
        >
          {submit.pending ? 'Raising…' : 'Raise issue'}
        </button>
      </div>
      {submit.error !== undefined && (
        <div className="full-row">
          <ProblemView error={submit.error} />
        </div>
      )}
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
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (await submit.run()) onDone(`“${issue.title}” resolved.`);
  };
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
      <div className="form-actions">
        <button type="button" className="btn" onClick={() => setOpen(false)}>
          Cancel
        </button>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={submit.pending}
          data-testid="issue-resolve-submit"
        >
          Mark resolved
        </button>
      </div>
      {submit.error !== undefined && (
        <div className="full-row">
          <ProblemView error={submit.error} />
        </div>
      )}
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
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (await submit.run()) {
      renew();
      setReason('');
      onDone('Hypercare extended.');
    }
  };
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
      <div className="form-actions">
        <button
          type="submit"
          className="btn"
          disabled={submit.pending || reason.trim() === ''}
          data-testid="extend-submit"
        >
          Extend hypercare
        </button>
      </div>
      {submit.error !== undefined && (
        <div className="full-row">
          <ProblemView error={submit.error} />
        </div>
      )}
    </form>
  );
}
