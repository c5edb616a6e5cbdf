/**
 * Hypercare actions: raise an issue, take one on, respond to it, resolve it, extend the period
 * with a reason.
 */
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

/** Takes an issue on (its first response), with an optional note to the raiser. */
export function AcknowledgeIssue({
  projectId,
  issue,
  onDone,
}: {
  projectId: string;
  issue: Issue;
  onDone: Done;
}) {
  const { api } = useSession();
  const [note, setNote] = useState('');
  const [key] = useIdempotencyKey();
  const submit = useSubmit(() =>
    api('acknowledgeIssue', {
      params: { id: projectId, issueId: issue.id },
      body: { ...(note.trim() && { note: note.trim() }), idempotencyKey: key },
    }),
  );
  const onSubmit = submitHandler(async () => {
    if (await submit.run()) onDone(`“${issue.title}” taken on.`);
  });
  return (
    <form className="form form-inline" onSubmit={onSubmit} data-testid="issue-acknowledge-form">
      <div className="field grow">
        <label htmlFor={`acknowledge-${issue.id}`}>Note to the raiser (optional)</label>
        <input
          id={`acknowledge-${issue.id}`}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </div>
      <SubmitRow
        label="Take it on"
        pending={submit.pending}
        testId="issue-acknowledge-submit"
        error={submit.error}
      />
    </form>
  );
}

/** A response to the raiser: a workaround, an update, a question. */
export function RespondToIssue({
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
  const [text, setText] = useState('');
  const [key, renew] = useIdempotencyKey();
  const submit = useSubmit(() =>
    api('respondToIssue', {
      params: { id: projectId, issueId: issue.id },
      body: { text: text.trim(), idempotencyKey: key },
    }),
  );
  if (!open) {
    return (
      <button
        type="button"
        className="btn btn-small"
        onClick={() => setOpen(true)}
        data-testid="issue-respond"
      >
        Respond
      </button>
    );
  }
  const onSubmit = submitHandler(async () => {
    if (await submit.run()) {
      renew();
      setText('');
      setOpen(false);
      onDone(`Response to “${issue.title}” sent.`);
    }
  });
  return (
    <form className="form form-inline" onSubmit={onSubmit} data-testid="issue-respond-form">
      <div className="field grow">
        <label htmlFor={`respond-${issue.id}`}>Response</label>
        <input
          id={`respond-${issue.id}`}
          value={text}
          onChange={(e) => setText(e.target.value)}
          autoFocus
        />
      </div>
      <SubmitRow
        label="Send response"
        pending={submit.pending}
        disabled={text.trim() === ''}
        testId="issue-respond-submit"
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
