/** Record a KPI reading: metric, value and (optionally) when it was measured. */
import { useState } from 'react';
import type { Metric } from '../../../../workflows/model';
import { ApiError } from '../../api/client';
import { useSession } from '../../shell/session';
import { errorsByKey } from '../logic/problems';
import { submitHandler, useIdempotencyKey, useSubmit } from '../ui/hooks';
import { FieldErrors, SubmitRow } from '../ui/states';

export function KpiForm({
  projectId,
  metrics,
  onDone,
}: {
  projectId: string;
  metrics: Metric[];
  onDone: (message: string) => void;
}) {
  const { api } = useSession();
  const [metric, setMetric] = useState(metrics[0]?.key ?? '');
  const [value, setValue] = useState('');
  // What the browser could not read as a number ("-1e999", "1e"): its value is then '', and
  // React reports no change, so the field's own validity says it, on every input.
  const [unreadable, setUnreadable] = useState(false);
  const [at, setAt] = useState('');
  const [key, renew] = useIdempotencyKey();
  const chosen = metrics.find((m) => m.key === metric);
  const submit = useSubmit(() =>
    api('recordKpi', {
      params: { id: projectId },
      body: {
        metric,
        value: Number(value),
        ...(at && { at: new Date(at).toISOString() }),
        idempotencyKey: key,
      },
    }),
  );
  const errors = errorsByKey(submit.error instanceof ApiError ? submit.error.problem.errors : [], [
    'body',
  ]);
  const onSubmit = submitHandler(async () => {
    if (await submit.run()) {
      renew();
      setValue('');
      setAt('');
      onDone(
        `${chosen?.name ?? metric}: ${value}${chosen?.unit ? ` ${chosen.unit}` : ''} recorded.`,
      );
    }
  });
  if (metrics.length === 0) return <p className="muted">This template defines no metrics.</p>;
  const id = `kpi-${projectId}`;
  const why =
    value !== '' && Number.isFinite(Number(value))
      ? undefined
      : value === '' && !unreadable
        ? 'Enter a value to record.'
        : 'This is not a number that can be recorded: enter one such as 12.5.';
  return (
    <form className="form form-inline" onSubmit={onSubmit} data-testid="kpi-form">
      <div className="field">
        <label htmlFor={`${id}-metric`}>Metric</label>
        <select
          id={`${id}-metric`}
          value={metric}
          onChange={(e) => setMetric(e.target.value)}
          data-testid="kpi-metric"
        >
          {metrics.map((m) => (
            <option key={m.key} value={m.key}>
              {m.name}
            </option>
          ))}
        </select>
        <FieldErrors messages={errors['metric']} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-value`}>Value{chosen?.unit ? ` (${chosen.unit})` : ''}</label>
        <input
          id={`${id}-value`}
          type="number"
          step="any"
          required
          value={value}
          onChange={(e) => setValue(e.target.value)}
          onInput={(e) => setUnreadable(e.currentTarget.validity.badInput)}
          aria-describedby={`${id}-target`}
          data-testid="kpi-value"
        />
        {chosen && (
          <small id={`${id}-target`} className="hint">
            target {chosen.direction === 'increase' ? '≥' : '≤'} {chosen.target}
            {chosen.baseline !== undefined && ` · baseline ${chosen.baseline}`}
          </small>
        )}
        <FieldErrors messages={errors['value']} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-at`}>Measured at (optional)</label>
        <input
          id={`${id}-at`}
          type="datetime-local"
          value={at}
          onChange={(e) => setAt(e.target.value)}
          data-testid="kpi-at"
        />
        <FieldErrors messages={errors['at']} />
      </div>
      <SubmitRow
        label="Record KPI"
        pendingLabel="Recording…"
        pending={submit.pending}
        disabled={why !== undefined}
        why={why}
        testId="kpi-submit"
        error={submit.error}
        hideFields
      />
    </form>
  );
}
