/**
 * Actual delivery against the delivery measures: the handover date beside the target date, the
 * actual cost beside the budget, and (for the PM, the PMO) the form to record the cost.
 * The metrics panel and the PIR show it alike.
 */
import { useState } from 'react';
import { costRefusal, deliveryStanding, type Template } from '../../../../workflows/model';
import type { ProjectStateView } from '../types';
import { ApiError } from '../../api/client';
import { useSession } from '../../shell/session';
import { costBodyOf, costText, scheduleText } from '../logic/delivery';
import { errorsByKey } from '../logic/problems';
import { submitHandler, useIdempotencyKey, useSubmit } from '../ui/hooks';
import { FieldErrors, SubmitRow } from '../ui/states';

export function DeliveryStandingView({
  state,
  template,
  now,
  withForm = false,
  onDone,
}: {
  state: ProjectStateView;
  template: Template;
  now: number;
  /** Offer the actual-cost form to whoever may record it. */
  withForm?: boolean;
  onDone?: (message: string) => void;
}) {
  const { me } = useSession();
  const s = deliveryStanding(template, state, now);
  const open = state.status === 'active' || state.status === 'on_hold';
  const mayRecord =
    withForm && open && !costRefusal(template, state, me.id, me.pmo === true || me.admin === true);
  return (
    <div className="block" data-testid="delivery-standing">
      <h3>Delivery: planned vs actual</h3>
      <ul className="plain">
        <li data-testid="delivery-schedule" data-schedule={s.schedule ?? 'none'}>
          <strong>Date:</strong> {scheduleText(s)}
          {s.handover && <span className="muted small"> · handover: {s.handover.name}</span>}
        </li>
        <li data-testid="delivery-cost" data-cost={s.cost ?? 'none'}>
          <strong>Cost:</strong> {costText(s)}
        </li>
      </ul>
      {mayRecord && onDone && <CostForm state={state} onDone={onDone} />}
    </div>
  );
}

function CostForm({
  state,
  onDone,
}: {
  state: ProjectStateView;
  onDone: (message: string) => void;
}) {
  const { api } = useSession();
  const budgetIn = state.metrics?.delivery?.currency;
  const [spent, setSpent] = useState(
    state.actualCost !== undefined ? String(state.actualCost.spent) : '',
  );
  const [currency, setCurrency] = useState(budgetIn ?? state.actualCost?.currency ?? '');
  const [key, renew] = useIdempotencyKey();
  const { body, error } = costBodyOf(spent, currency);
  const submit = useSubmit(() =>
    api('recordCost', { params: { id: state.id }, body: { ...body!, idempotencyKey: key } }),
  );
  const problems = submit.error instanceof ApiError ? submit.error.problem.errors : [];
  const fields = errorsByKey(problems, ['body']);
  const onSubmit = submitHandler(async () => {
    if (await submit.run()) {
      renew();
      onDone('Actual cost recorded.');
    }
  });
  return (
    <form className="form" onSubmit={onSubmit} data-testid="cost-form">
      <div className="form-inline">
        <div className="field">
          <label htmlFor="cost-spent">Actual cost to date</label>
          <input
            id="cost-spent"
            type="number"
            min={0}
            step="any"
            value={spent}
            onChange={(e) => setSpent(e.target.value)}
            data-testid="cost-spent"
          />
          <FieldErrors
            messages={fields['spent'] ?? (spent.trim() && error ? [error] : undefined)}
          />
        </div>
        <div className="field">
          <label htmlFor="cost-currency">Currency</label>
          <input
            id="cost-currency"
            maxLength={3}
            value={currency}
            readOnly={budgetIn !== undefined}
            onChange={(e) => setCurrency(e.target.value)}
            data-testid="cost-currency"
          />
          <FieldErrors messages={fields['currency']} />
        </div>
      </div>
      <SubmitRow
        label="Record cost"
        pendingLabel="Recording…"
        pending={submit.pending}
        disabled={body === undefined}
        why={
          spent.trim() === ''
            ? 'Enter the cost to date first.'
            : 'Enter the cost to date as a number, 0 or more.'
        }
        testId="cost-submit"
        error={submit.error}
        hideFields
      />
    </form>
  );
}
