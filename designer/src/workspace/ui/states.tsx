/** Loading, empty and error states, and the problem+json display every form uses. */
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { ApiError } from '../../api/client';
import { pathLabel } from '../logic/problems';

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite" data-testid="loading">
      <span className="spinner" aria-hidden="true" />
      {what}…
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty" data-testid="empty">
      <strong>{title}</strong>
      {children && <div className="muted">{children}</div>}
    </div>
  );
}

/** What went wrong, in words: a server problem (title, detail, field errors) or another error. */
export function ProblemView({
  error,
  onRetry,
  hideFields = false,
}: {
  error: unknown;
  onRetry?: () => void;
  /** The form shows the field errors next to its fields itself. */
  hideFields?: boolean;
}) {
  if (error === undefined || error === null) return null;
  const problem = error instanceof ApiError ? error.problem : undefined;
  const title = problem ? headline(problem.status, problem.title) : 'Something went wrong';
  const detail = problem
    ? problem.detail
    : error instanceof Error
      ? error.message
      : typeof error === 'string'
        ? error
        : 'An unexpected error occurred.';
  // A field error that only repeats the detail is folded into it as "(at <field>)".
  const repeated = problem?.errors.find((e) => e.message === detail);
  const fields = problem && !hideFields ? problem.errors.filter((e) => e !== repeated) : [];
  const where = repeated && !hideFields ? pathLabel(repeated.path) : '';
  return (
    <div className="problem" role="alert" data-testid="problem" data-status={problem?.status}>
      <strong>{title}</strong>
      {detail && detail !== title && (
        <p data-code={problem?.code}>
          {detail}
          {where && (
            <span className="muted small">
              {' '}
              (at <code>{where}</code>)
            </span>
          )}
        </p>
      )}
      {fields.length > 0 && (
        <ul>
          {fields.map((e, i) => (
            <li key={i} data-testid="problem-field-error" data-code={e.code}>
              {pathLabel(e.path) && <code>{pathLabel(e.path)}</code>} {e.message}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

function headline(status: number, title: string): string {
  switch (status) {
    case 0:
      return 'The server cannot be reached';
    case 401:
      return 'Not signed in';
    case 403:
      return 'Not allowed';
    case 404:
      return 'Not found';
    case 409:
      return 'Not possible right now';
    case 422:
      return 'Please check the input';
    default:
      return title;
  }
}

/**
 * A list kept as it was last loaded because loading it again failed (the server out of reach):
 * says that it may be out of date, why, and offers to try again. Gone once a load succeeds.
 */
export function StaleNotice({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <div data-testid="stale-notice">
      <p className="hint hint-warn">
        This list could not be refreshed: it shows what was last loaded and may be out of date.
      </p>
      <ProblemView error={error} onRetry={onRetry} />
    </div>
  );
}

/**
 * A confirmation after an action succeeded. Dismissed, it hands the focus its dismiss button
 * had to what follows it, so the keyboard goes on from there rather than from the page's start.
 */
export function Notice({
  children,
  onClose,
  takeFocus = false,
}: {
  children: ReactNode;
  onClose?: () => void;
  /** Moves the focus here when shown: the form acted on is gone, and the focus with it. */
  takeFocus?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (takeFocus) ref.current?.focus();
  }, [takeFocus, children]);
  return (
    <div
      ref={ref}
      className="notice"
      role="status"
      tabIndex={takeFocus ? -1 : undefined}
      data-testid="notice"
    >
      <span>{children}</span>
      {onClose && (
        <button
          type="button"
          className="link"
          onClick={() => {
            const next = ref.current ? followingControl(ref.current) : undefined;
            onClose();
            next?.focus();
          }}
          aria-label="Dismiss"
        >
          ×
        </button>
      )}
    </div>
  );
}

/** The first control after `el` in the page that Tab would reach. */
function followingControl(el: HTMLElement): HTMLElement | undefined {
  const controls = document.querySelectorAll<HTMLElement>(
    'a[href], button, input, select, textarea, summary, [tabindex]',
  );
  return Array.from(controls).find(
    (c) =>
      c.tabIndex >= 0 &&
      !c.matches(':disabled') &&
      (el.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0 &&
      !el.contains(c) &&
      c.getClientRects().length > 0,
  );
}

/** Messages for one form field, announced when they appear. */
export function FieldErrors({ messages, id }: { messages: string[] | undefined; id?: string }) {
  if (!messages?.length) return null;
  return (
    <ul className="field-error" id={id} role="alert">
      {messages.map((m, i) => (
        <li key={i}>{m}</li>
      ))}
    </ul>
  );
}

/**
 * Why a submit button is disabled, in words, beside it: the button names it with
 * `aria-describedby` (see `whyProps`). Nothing while the button can be pressed.
 */
export function DisabledWhy({ id, why }: { id: string; why: string | undefined }) {
  if (why === undefined) return null;
  return (
    <small id={id} className="hint disabled-why" data-testid="disabled-why">
      {why}
    </small>
  );
}

/** The button's side of `DisabledWhy`: described by it while there is a why. */
export function whyProps(id: string, why: string | undefined) {
  return why === undefined ? {} : { 'aria-describedby': id };
}

/**
 * The end of an inline form: its buttons (extra ones first, then submit), why the submit is
 * disabled (`why`, while `disabled`) and, once a submit failed, the server's problem across
 * the whole row.
 */
export function SubmitRow({
  label,
  pending,
  disabled = false,
  pendingLabel,
  className = 'btn btn-primary',
  testId,
  error,
  hideFields = false,
  why,
  children,
}: {
  label: string;
  pending: boolean;
  disabled?: boolean;
  /** What the user must do first, said while `disabled` (and not pending). */
  why?: string;
  /** Shown while the request runs; the label when absent. */
  pendingLabel?: string;
  className?: string;
  testId?: string;
  error: unknown;
  hideFields?: boolean;
  /** Buttons before the submit button (e.g. Cancel). */
  children?: ReactNode;
}) {
  const whyId = useId();
  const said = disabled && !pending ? why : undefined;
  return (
    <>
      <div className="form-actions">
        {children}
        <button
          type="submit"
          className={className}
          disabled={pending || disabled}
          {...whyProps(whyId, said)}
          {...(testId !== undefined && { 'data-testid': testId })}
        >
          {pending && pendingLabel !== undefined ? pendingLabel : label}
        </button>
        <DisabledWhy id={whyId} why={said} />
      </div>
      {error !== undefined && (
        <div className="full-row">
          <ProblemView error={error} hideFields={hideFields} />
        </div>
      )}
    </>
  );
}
