/**
 * Hypercare actions: raise an issue, take one on, respond to it, resolve it, extend the period
 * with a reason.
 */
import { useState } from 'react';
import { useSession } from '../../shell/session';
import { blocksExit, LIMITS, type Issue } from '../../../../workflows/model';
import { severityLabel } from '../ui/badges';
import { durationInWords } from '../logic/time';
import { useTextAction } from '../ui/hooks';
import { SubmitRow } from '../ui/states';

type Done = (message: string) => void;

/**
 * A labelled one-line input that grows to fill its inline form, taking no more than the server
 * keeps (`maxLength`: its cap in LIMITS), so that no refusal names a cap after the typing.
 */
function LineField({
  id,
  label,
  value,
  onChange,
  maxLength,
  testId,
  autoFocus,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  maxLength: number;
  testId?: string;
  autoFocus?: boolean;
}) {
  return (
    <div className="field grow">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        maxLength={maxLength}
        data-testid={testId}
        autoFocus={autoFocus}
      />
    </div>
  );
}

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
  const title = useTextAction(
    (text, idempotencyKey) =>
      api('raiseIssue', {
        params: { id: projectId },
        body: { severity, title: text, idempotencyKey },
      }),
    () => onDone('Issue raised.'),
  );
  return (
    <form className="form form-inline" onSubmit={title.onSubmit} data-testid="issue-form">
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
      <LineField
        id="issue-title"
        label="Issue"
        value={title.text}
        onChange={title.setText}
        maxLength={LIMITS.issueTitle}
        testId="issue-title"
      />
      <SubmitRow
        label="Raise issue"
        pendingLabel="Raising…"
        pending={title.submit.pending}
        disabled={title.text.trim() === ''}
        why="Describe the issue to raise it."
        testId="issue-submit"
        error={title.submit.error}
      />
    </form>
  );
}

interface IssueFormProps {
  projectId: string;
  issue: Issue;
  onDone: Done;
}

/**
 * An action on one issue with one line of text (`issue-<name>-form`). With `opener`, a button
 * of that label opens it (and Cancel closes it); otherwise it shows at once.
 */
function IssueTextForm({
  issue,
  name,
  label,
  submitLabel,
  opener,
  required = false,
  again = false,
  send,
  onSent,
}: {
  issue: Issue;
  name: 'acknowledge' | 'respond' | 'resolve';
  label: string;
  submitLabel: string;
  opener?: string;
  /** The text may not be blank. */
  required?: boolean;
  /** Sent more than once: a success closes the form, renewing its key. */
  again?: boolean;
  send: (text: string, idempotencyKey: string) => Promise<unknown>;
  onSent: () => void;
}) {
  const [open, setOpen] = useState(opener === undefined);
  const { text, setText, submit, onSubmit } = useTextAction(
    send,
    () => {
      if (again) setOpen(false);
      onSent();
    },
    again,
  );
  if (!open) {
    return (
      <button
        type="button"
        className="btn btn-small"
        onClick={() => setOpen(true)}
        data-testid={`issue-${name}`}
      >
        {opener}
      </button>
    );
  }
  return (
    <form className="form form-inline" onSubmit={onSubmit} data-testid={`issue-${name}-form`}>
      <LineField
        id={`${name}-${issue.id}`}
        label={label}
        value={text}
        onChange={setText}
        maxLength={LIMITS.comment}
        autoFocus={opener !== undefined}
      />
      <SubmitRow
        label={submitLabel}
        pending={submit.pending}
        disabled={required && text.trim() === ''}
        why={`Write the ${label.toLowerCase()} first.`}
        testId={`issue-${name}-submit`}
        error={submit.error}
      >
        {opener !== undefined && (
          <button type="button" className="btn" onClick={() => setOpen(false)}>
            Cancel
          </button>
        )}
      </SubmitRow>
    </form>
  );
}

export function ResolveIssue({ projectId, issue, onDone }: IssueFormProps) {
  const { api } = useSession();
  return (
    <IssueTextForm
      issue={issue}
      name="resolve"
      opener="Resolve"
      label="Resolution note (optional)"
      submitLabel="Mark resolved"
      send={(note, idempotencyKey) =>
        api('resolveIssue', {
          params: { id: projectId, issueId: issue.id },
          body: { ...(note && { note }), idempotencyKey },
        })
      }
      onSent={() => onDone(`“${issue.title}” resolved.`)}
    />
  );
}

/** Takes an issue on (its first response), with an optional note to the raiser. */
export function AcknowledgeIssue({ projectId, issue, onDone }: IssueFormProps) {
  const { api } = useSession();
  return (
    <IssueTextForm
      issue={issue}
      name="acknowledge"
      label="Note to the raiser (optional)"
      submitLabel="Take it on"
      send={(note, idempotencyKey) =>
        api('acknowledgeIssue', {
          params: { id: projectId, issueId: issue.id },
          body: { ...(note && { note }), idempotencyKey },
        })
      }
      onSent={() => onDone(`“${issue.title}” taken on.`)}
    />
  );
}

/** A response to the raiser: a workaround, an update, a question. */
export function RespondToIssue({ projectId, issue, onDone }: IssueFormProps) {
  const { api } = useSession();
  return (
    <IssueTextForm
      issue={issue}
      name="respond"
      opener="Respond"
      label="Response"
      submitLabel="Send response"
      required
      again
      send={(text, idempotencyKey) =>
        api('respondToIssue', {
          params: { id: projectId, issueId: issue.id },
          body: { text, idempotencyKey },
        })
      }
      onSent={() => onDone(`Response to “${issue.title}” sent.`)}
    />
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
  const reason = useTextAction(
    (text, idempotencyKey) =>
      api('extendHypercare', {
        params: { id: projectId },
        body: { reason: text, idempotencyKey },
      }),
    () => onDone('Hypercare extended.'),
  );
  return (
    <form className="form form-inline" onSubmit={reason.onSubmit} data-testid="extend-form">
      <LineField
        id="extend-reason"
        label={`Reason to extend by ${durationInWords(extendBy)}`}
        value={reason.text}
        onChange={reason.setText}
        maxLength={LIMITS.reason}
        testId="extend-reason"
      />
      <SubmitRow
        label="Extend hypercare"
        className="btn"
        pending={reason.submit.pending}
        disabled={reason.text.trim() === ''}
        why="Give a reason to extend."
        testId="extend-submit"
        error={reason.submit.error}
      />
    </form>
  );
}
