/**
 * Do an open KPI review: the period's value per metric (against the project's target), a
 * decision (keep, act, escalate) and follow-up actions with owner and due date.
 */
import { useState } from 'react';
import { onTarget } from '../../../../workflows/lifecycle/monitor';
import {
  KPI_DECISIONS,
  projectMetrics,
  type KpiDecision,
  type Template,
} from '../../../../workflows/model';
import type { ProjectStateView } from '../types';
import { ApiError } from '../../api/client';
import { useSession } from '../../shell/session';
import { reviewBodyOf, type ReviewDraft } from '../logic/metrics';
import { errorsByKey } from '../logic/problems';
import { submitHandler, useIdempotencyKey, useSubmit } from '../ui/hooks';
import { FieldErrors, SubmitRow } from '../ui/states';

const DECISION_HELP: Record<KpiDecision, string> = {
  keep: 'Keep course: the KPIs need no action.',
  act: 'Act: name at least one follow-up action with its owner and due date.',
  escalate: 'Escalate to the steering roles and the PMO.',
};

export function KpiReviewForm({
  state,
  template,
  nodeId,
  number,
  onBehalfOf,
  onDone,
}: {
  state: ProjectStateView;
  template: Template;
  nodeId: string;
  number: string;
  /** Delegation: the reviewer this review is done for (their to-do, in the caller's list). */
  onBehalfOf?: { id: string; name: string };
  onDone: (message: string) => void;
}) {
  const { api } = useSession();
  const metrics = projectMetrics(template, state.metrics);
  const [draft, setDraft] = useState<ReviewDraft>({
    values: {},
    decision: 'keep',
    comment: '',
    actions: [],
  });
  const [key, renew] = useIdempotencyKey();
  const submit = useSubmit(() =>
    api('kpiReview', {
      params: { id: state.id, nodeId },
      body: {
        ...reviewBodyOf(draft),
        ...(onBehalfOf && { onBehalfOf: onBehalfOf.id }),
        idempotencyKey: key,
      },
    }),
  );
  const problems = submit.error instanceof ApiError ? submit.error.problem.errors : [];
  const valueErrors = errorsByKey(problems, ['body', 'values']);
  const errors = errorsByKey(problems, ['body']);
  const actionErrors = errorsByKey(problems, ['body', 'actions']);
  const onSubmit = submitHandler(async () => {
    if (await submit.run()) {
      renew();
      onDone(`KPI review #${number} done${onBehalfOf ? ` for ${onBehalfOf.name}` : ''}.`);
    }
  });
  const patch = (p: Partial<ReviewDraft>) => setDraft((d) => ({ ...d, ...p }));
  const setAction = (i: number, p: Partial<ReviewDraft['actions'][number]>) =>
    patch({ actions: draft.actions.map((a, j) => (j === i ? { ...a, ...p } : a)) });
  return (
    <form className="form" onSubmit={onSubmit} data-testid="kpi-review-form">
      {onBehalfOf && (
        <p className="hint" data-testid="kpi-review-for">
          You review for {onBehalfOf.name}, who delegated this to you: the review is done in their
          role.
        </p>
      )}
      {metrics.map((m) => {
        const typed = draft.values[m.key] ?? '';
        const value = typed.trim() === '' ? undefined : Number(typed);
        const verdict =
          value === undefined || !Number.isFinite(value)
            ? 'no value: counts as a miss unless one was recorded this period'
            : onTarget(m, value)
              ? 'on target'
              : 'off target';
        return (
          <div className="field" key={m.key} data-metric={m.key}>
            <label htmlFor={`review-${m.key}`}>
              {m.name}
              {m.unit ? ` (${m.unit})` : ''}: target {m.direction === 'increase' ? '≥' : '≤'}{' '}
              {m.target}
            </label>
            <input
              id={`review-${m.key}`}
              type="number"
              step="any"
              value={typed}
              onChange={(e) => patch({ values: { ...draft.values, [m.key]: e.target.value } })}
              data-testid={`review-value-${m.key}`}
            />
            <small className="hint" data-testid={`review-verdict-${m.key}`}>
              {verdict}
            </small>
            <FieldErrors messages={valueErrors[m.key]} />
          </div>
        );
      })}
      <fieldset>
        <legend>Decision</legend>
        {KPI_DECISIONS.map((d) => (
          <label key={d} className="radio">
            <input
              type="radio"
              name={`review-decision-${nodeId}`}
              value={d}
              checked={draft.decision === d}
              onChange={() => patch({ decision: d })}
              data-testid={`review-decision-${d}`}
            />{' '}
            {DECISION_HELP[d]}
          </label>
        ))}
        <FieldErrors messages={errors['decision']} />
      </fieldset>
      <fieldset data-testid="review-actions">
        <legend>Follow-up actions</legend>
        {draft.actions.map((a, i) => (
          <div className="form-inline" key={i}>
            <div className="field grow">
              <label htmlFor={`review-action-${i}`}>Action</label>
              <input
                id={`review-action-${i}`}
                value={a.text}
                onChange={(e) => setAction(i, { text: e.target.value })}
                data-testid={`review-action-text-${i}`}
              />
            </div>
            <div className="field">
              <label htmlFor={`review-action-owner-${i}`}>Owner</label>
              <select
                id={`review-action-owner-${i}`}
                value={a.owner}
                onChange={(e) => setAction(i, { owner: e.target.value })}
              >
                {template.roles.map((r) => (
                  <option key={r.key} value={r.key}>
                    {r.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`review-action-due-${i}`}>Due in (ISO duration)</label>
              <input
                id={`review-action-due-${i}`}
                value={a.due}
                onChange={(e) => setAction(i, { due: e.target.value })}
              />
            </div>
            <FieldErrors messages={actionErrors[String(i)]} />
          </div>
        ))}
        <button
          type="button"
          className="btn"
          onClick={() =>
            patch({
              actions: [...draft.actions, { text: '', due: 'P14D', owner: template.roles[0]!.key }],
            })
          }
          data-testid="review-add-action"
        >
          Add an action
        </button>
        <FieldErrors messages={actionErrors['']} />
      </fieldset>
      <div className="field">
        <label htmlFor={`review-comment-${nodeId}`}>Comment (optional)</label>
        <textarea
          id={`review-comment-${nodeId}`}
          rows={2}
          value={draft.comment}
          onChange={(e) => patch({ comment: e.target.value })}
        />
      </div>
      <SubmitRow
        label={`Complete review #${number}`}
        pendingLabel="Saving…"
        pending={submit.pending}
        testId="kpi-review-submit"
        error={submit.error}
        hideFields
      />
    </form>
  );
}
