/**
 * The project's metrics as they stand, read-only: the project view's metrics panel and the
 * "Agree metrics" form show the same table and delivery measures, so operations agree to
 * exactly what the project page shows.
 */
import type { ProjectMetrics } from '../../../../workflows/model';
import type { MetricRow } from '../logic/metrics';
import { MetricNameCell, MetricTargetCell } from './metric-cells';

/** Each metric's baseline and target, beside the template's values and its allowed range. */
export function MetricsTable({ rows, testId }: { rows: MetricRow[]; testId: string }) {
  return (
    <table className="table" data-testid={testId}>
      <thead>
        <tr>
          <th>Metric</th>
          <th>Baseline</th>
          <th>Target</th>
          <th>Template</th>
          <th>Allowed</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} data-metric={r.key}>
            <MetricNameCell name={r.name} unit={r.unit} />
            <td>{r.baseline ?? '—'}</td>
            <MetricTargetCell direction={r.direction} target={r.target} />
            <td className="muted">
              {r.template.baseline ?? '—'} → {r.template.target}
            </td>
            <td className="muted">{r.range}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The delivery measures the project committed to: target date and budget. */
export function DeliveryMeasuresLine({
  delivery,
  testId,
}: {
  delivery: ProjectMetrics['delivery'];
  testId: string;
}) {
  return (
    <p className="small" data-testid={testId}>
      Delivery: target date {delivery?.targetDate ?? 'not set'} · budget{' '}
      {delivery?.budget !== undefined ? `${delivery.budget} ${delivery.currency ?? ''}` : 'not set'}
    </p>
  );
}
