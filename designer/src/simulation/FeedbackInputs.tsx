/**
 * The simulation's feedback loop: who posts what (frontline staff by default) and the response
 * an item is closed with, and the list the PIR shows: every item, where it stands, and what
 * was done about the feedback acted on (logic/sim-feedback.ts).
 */
import { FRONTLINE_ROLE, simFeedback } from '../logic/sim-feedback';
import type { SimInputs } from '../logic/sim-actions';
import type { SimSession } from '../logic/simulation';

const STATUS = {
  open: 'open',
  acknowledged: 'acknowledged',
  acted_on: 'acted on',
  declined: 'declined',
};

export function FeedbackInputs({
  session,
  inputs,
  onInputs,
}: {
  session: SimSession;
  inputs: SimInputs;
  onInputs: (inputs: SimInputs) => void;
}) {
  const { state } = session.machine;
  const feedback = inputs.feedback ?? {};
  const set = (patch: Partial<NonNullable<SimInputs['feedback']>>) =>
    onInputs({ ...inputs, feedback: { ...feedback, ...patch } });
  const users = [...new Set(Object.values(state.participants).flat())];
  const poster = feedback.by ?? state.participants[FRONTLINE_ROLE]?.[0] ?? users[0] ?? '';
  const pir = simFeedback(session);
  return (
    <fieldset className="gh-section" data-testid="sim-feedback">
      <legend>Feedback</legend>
      <label>
        Posted by{' '}
        <select
          data-testid="sim-feedback-by"
          value={poster}
          onChange={(e) => set({ by: e.target.value })}
        >
          {users.map((u) => (
            <option key={u} value={u}>
              {u}
            </option>
          ))}
        </select>
      </label>{' '}
      <label>
        Kind{' '}
        <select
          data-testid="sim-feedback-kind"
          value={feedback.kind ?? 'feedback'}
          onChange={(e) => set({ kind: e.target.value === 'lesson' ? 'lesson' : 'feedback' })}
        >
          <option value="feedback">feedback</option>
          <option value="lesson">lesson learned</option>
        </select>
      </label>{' '}
      <label>
        Text{' '}
        <input
          data-testid="sim-feedback-text"
          value={feedback.text ?? ''}
          placeholder="Simulated feedback"
          onChange={(e) => set({ text: e.target.value })}
        />
      </label>{' '}
      <label>
        Response{' '}
        <input
          data-testid="sim-feedback-response"
          value={feedback.response ?? ''}
          placeholder="Simulated response"
          onChange={(e) => set({ response: e.target.value })}
        />
      </label>
      {pir.items.length > 0 && (
        <>
          <p className="gh-small" data-testid="sim-feedback-acted">
            The PIR shows: {pir.actedOn} of {pir.feedback} feedback item
            {pir.feedback === 1 ? '' : 's'} acted on
          </p>
          <ul className="gh-small">
            {pir.items.map((f) => (
              <li key={f.id} data-testid="sim-feedback-item" data-status={f.status}>
                {f.kind} by <code>{f.by}</code>: “{f.text}” — {STATUS[f.status]}
                {f.owner !== undefined && ` (owner ${f.owner})`}
                {f.response !== undefined && `: ${f.response}`}
              </li>
            ))}
          </ul>
        </>
      )}
    </fieldset>
  );
}
