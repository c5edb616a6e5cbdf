/**
 * The project's own metrics: baseline and target per metric beside the template's and its
 * allowed range, the delivery measures with the actual delivery against them, operations'
 * agreement, and (until the metrics gate passes) the form to change them.
 */
import { useState } from 'react';
import { metricsGate, metricsLocked, type Template } from '../../../../workflows/model';
import type { ProjectStateView } from '../types';
import { ApiError } from '../../api/client';
import { useSession } from '../../shell/session';
import { AgreeMetricsForm } from '../actions/AgreeMetricsForm';
import {
  effectiveDraft,
  metricRows,
  metricsBodyOf,
  metricsDraftOf,
  type MetricsDraft,
} from '../logic/metrics';
import { errorsByKey } from '../logic/problems';
import { submitHandler, useIdempotencyKey, useSubmit } from '../ui/hooks';
import { FieldErrors, SubmitRow } from '../ui/states';
import { DeliveryStandingView } from './DeliveryPanel';
import { DeliveryMeasuresLine, MetricsTable } from './MetricsTable';

export function MetricsPanel({
  state,
  template,
  now,
  onDone,
}: {
  state: ProjectStateView;
  template: Template;
  now: number;
  onDone: (message: string) => void;
}) {
  const rows = metricRows(template, state.metrics);
  const locked = metricsLocked(template, state);
  const gate = metricsGate(template);
  const open = state.status === 'active' || state.status === 'on_hold';
  const delivery = state.metrics?.delivery;
  const agreed = state.metrics?.agreed;
  return (
    <section className="card" aria-labelledby="metrics-title" data-testid="metrics-section">
      <div className="panel-head">
        <div>
          <span className="eyebrow">Co-created with operations</span>
          <h2 id="metrics-title">Project metrics</h2>
        </div>
        <span className="small" data-testid="metrics-agreement">
          {agreed ? `Agreed by operations (${agreed.role})` : 'Not yet agreed by operations'}
          {locked && gate ? ` · fixed since “${gate.name}” passed` : ''}
        </span>
      </div>
      <MetricsTable rows={rows} testId="metrics-table" />
      <DeliveryMeasuresLine delivery={delivery} testId="delivery-measures" />
      <DeliveryStandingView state={state} template={template} now={now} withForm onDone={onDone} />
      {open && !locked && (
        <>
          <MetricsForm state={state} template={template} onDone={onDone} />
          {!agreed && template.roles.some((r) => r.operations) && (
            <AgreeMetricsForm projectId={state.id} shown={state.metrics} onDone={onDone} />
          )}
        </>
      )}
    </section>
  );
}

function MetricsForm({
  state,
  template,
  onDone,
}: {
  state: ProjectStateView;
  template: Template;
  onDone: (message: string) => void;
}) {
  const { api } = useSession();
  // The metrics as the form opened, and what was typed since: fields left alone follow the
  // live state (another participant may set them meanwhile) and are not sent back stale.
  const [seen] = useState(state.metrics);
  const [typed, setDraft] = useState<MetricsDraft>(() => metricsDraftOf(template, seen));
  const draft = effectiveDraft(template, seen, state.metrics, typed);
  const [key, renew] = useIdempotencyKey();
  const body = metricsBodyOf(template, state.metrics, draft);
  const submit = useSubmit(() =>
    api('setMetrics', { params: { id: state.id }, body: { ...body, idempotencyKey: key } }),
  );
  const problems = submit.error instanceof ApiError ? submit.error.problem.errors : [];
  const metricErrors = errorsByKey(problems, ['body', 'metrics']);
  const deliveryErrors = errorsByKey(problems, ['body', 'delivery']);
  const onSubmit = submitHandler(async () => {
    if (await submit.run()) {
      renew();
      onDone('Project metrics saved.');
    }
  });
  const setValue = (metric: string, field: 'baseline' | 'target', value: string) =>
    setDraft((d) => ({
      ...d,
      values: { ...d.values, [metric]: { ...d.values[metric]!, [field]: value } },
    }));
  return (
    <form className="form" onSubmit={onSubmit} data-testid="metrics-form">
      {metricRows(template, state.metrics).map((r) => (
        <div className="form-inline" key={r.key} data-metric={r.key}>
          <div className="field">
            <label htmlFor={`metric-${r.key}-baseline`}>{r.name}: baseline</label>
            <input
              id={`metric-${r.key}-baseline`}
              type="number"
              step="any"
              value={draft.values[r.key]?.baseline ?? ''}
              onChange={(e) => setValue(r.key, 'baseline', e.target.value)}
              data-testid={`metric-${r.key}-baseline`}
            />
          </div>
          <div className="field">
            <label htmlFor={`metric-${r.key}-target`}>target ({r.range})</label>
            <input
              id={`metric-${r.key}-target`}
              type="number"
              step="any"
              value={draft.values[r.key]?.target ?? ''}
              onChange={(e) => setValue(r.key, 'target', e.target.value)}
              data-testid={`metric-${r.key}-target`}
            />
          </div>
          <FieldErrors messages={metricErrors[r.key]} />
        </div>
      ))}
      <div className="form-inline">
        <div className="field">
          <label htmlFor="delivery-date">Target date</label>
          <input
            id="delivery-date"
            type="date"
            value={draft.targetDate}
            onChange={(e) => setDraft((d) => ({ ...d, targetDate: e.target.value }))}
            data-testid="delivery-date"
          />
          <FieldErrors messages={deliveryErrors['targetDate']} />
        </div>
        <div className="field">
          <label htmlFor="delivery-budget">Budget</label>
          <input
            id="delivery-budget"
            type="number"
            min={0}
            step="any"
            value={draft.budget}
            onChange={(e) => setDraft((d) => ({ ...d, budget: e.target.value }))}
            data-testid="delivery-budget"
          />
          <FieldErrors messages={deliveryErrors['budget']} />
        </div>
        <div className="field">
          <label htmlFor="delivery-currency">Currency</label>
          <input
            id="delivery-currency"
            maxLength={3}
            value={draft.currency}
            onChange={(e) => setDraft((d) => ({ ...d, currency: e.target.value }))}
            data-testid="delivery-currency"
          />
          <FieldErrors messages={deliveryErrors['currency']} />
        </div>
      </div>
      <SubmitRow
        label="Save metrics"
        pendingLabel="Saving…"
        pending={submit.pending}
        disabled={body === undefined}
        why="Nothing to save yet: change a value first."
        testId="metrics-submit"
        error={submit.error}
        hideFields
      />
    </form>
  );
}
