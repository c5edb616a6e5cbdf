/** A gate's metrics: the values measured so far against the project's baseline and target. */
import { gateMetrics, type Node, type Template } from '../../../../workflows/model';
import type { ProjectStateView } from '../types';
import { MetricNameCell, MetricTargetCell, MetricValueCell } from './metric-cells';

/** A gate's metrics (a pilot review): each value so far against the baseline and the target. */
export function GateMetrics({
  node,
  state,
  template,
}: {
  node: Node;
  state: ProjectStateView;
  template: Template;
}) {
  const rows = gateMetrics(template, state, node.id);
  if (rows.length === 0) return null;
  return (
    <div className="block" data-testid="gate-metrics">
      <h3>KPIs against baseline and target</h3>
      <table className="table">
        <thead>
          <tr>
            <th>Metric</th>
            <th>Baseline</th>
            <th>Value</th>
            <th>Target</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-metric={r.key} data-met={r.met ?? 'unknown'}>
              <MetricNameCell name={r.name} unit={r.unit} />
              <td>{r.baseline ?? '—'}</td>
              <MetricValueCell value={r.value} met={r.met} />
              <MetricTargetCell direction={r.direction} target={r.target} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
