/**
 * The simulation's delivery measures: the target date, budget and currency a participant
 * commits to, the actual cost recorded, and where the delivery stands against them — the lines
 * the project view and the PIR show (logic/sim-delivery.ts).
 */
import { DEFAULT_BUDGET, simDelivery } from '../logic/sim-delivery';
import type { SimInputs } from '../logic/sim-actions';
import type { SimSession } from '../logic/simulation';
import { costText, scheduleText } from '../workspace/logic/delivery';

export function DeliveryInputs({
  session,
  inputs,
  onInputs,
}: {
  session: SimSession;
  inputs: SimInputs;
  onInputs: (inputs: SimInputs) => void;
}) {
  const delivery = inputs.delivery ?? {};
  const set = (patch: Partial<NonNullable<SimInputs['delivery']>>) =>
    onInputs({ ...inputs, delivery: { ...delivery, ...patch } });
  /** A number field's value, or none when it is cleared (the default applies again). */
  const amount = (value: string) => (value.trim() === '' ? undefined : Number(value));
  const standing = simDelivery(session);
  const { status } = session.machine.state;
  return (
    <fieldset
      className="gh-section"
      data-testid="sim-delivery"
      disabled={status !== 'active' && status !== 'on_hold'}
    >
      <legend>Delivery</legend>
      <label>
        Target date{' '}
        <input
          type="date"
          data-testid="sim-delivery-date"
          value={delivery.targetDate ?? ''}
          onChange={(e) => set({ targetDate: e.target.value || undefined })}
        />
      </label>{' '}
      <label>
        Budget{' '}
        <input
          type="number"
          min={0}
          data-testid="sim-delivery-budget"
          value={delivery.budget ?? ''}
          placeholder={String(DEFAULT_BUDGET)}
          onChange={(e) => set({ budget: amount(e.target.value) })}
        />
      </label>{' '}
      <label>
        Spent{' '}
        <input
          type="number"
          min={0}
          data-testid="sim-delivery-spent"
          value={delivery.spent ?? ''}
          placeholder="the budget"
          onChange={(e) => set({ spent: amount(e.target.value) })}
        />
      </label>
      <p className="gh-small" data-testid="sim-delivery-schedule">
        {scheduleText(standing)}
      </p>
      <p className="gh-small" data-testid="sim-delivery-cost">
        {costText(standing)}
      </p>
    </fieldset>
  );
}
