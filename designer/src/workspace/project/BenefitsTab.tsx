/**
 * Benefits: the post-implementation review's planned vs actual per metric, KPI trends of the
 * monitor phase against their targets, and the form to record a reading.
 */
import { projectMetrics, type Template } from '../../../../workflows/model';
import { KpiForm } from '../actions/KpiForm';
import { formatDateTime } from '../logic/time';
import { useNameOf } from '../people';
import { MetricsPanel } from './MetricsPanel';
import type { PirRow, ProjectStateView } from '../types';
import { Countdown } from '../ui/badges';
import { Empty } from '../ui/states';
import { NoticeSpot } from './notices';
import { KpiTrendChart, PirChart } from './Charts';

export function BenefitsTab({
  state,
  pir,
  template,
  now,
  onDone,
}: {
  state: ProjectStateView;
  pir: PirRow[];
  template: Template;
  now: number;
  onDone: (message: string) => void;
}) {
  const nameOf = useNameOf();
  const metrics = projectMetrics(template, state.metrics);
  const monitorNode = template.nodes.find(
    (n) => n.type === 'monitor' && state.current.includes(n.id),
  );
  const monitor = monitorNode ? state.nodes[monitorNode.id]?.monitor : undefined;
  const open = state.status === 'active' || state.status === 'on_hold';
  if (metrics.length === 0) {
    return <Empty title="No success metrics">This template defines no metrics to review.</Empty>;
  }
  return (
    <div className="benefits" data-notice-region="benefits">
      <NoticeSpot region="benefits" />
      <MetricsPanel state={state} template={template} now={now} onDone={onDone} />
      <section className="card" aria-labelledby="pir-title" data-testid="pir-section">
        <div className="panel-head">
          <div>
            <span className="eyebrow">Post-implementation review</span>
            <h2 id="pir-title">Planned vs actual</h2>
          </div>
          <span className="muted small">
            {pir.filter((r) => r.met).length} of {pir.length} metrics on target
          </span>
        </div>
        <div className="chart-grid">
          {pir.map((row) => (
            <PirChart key={row.key} row={row} />
          ))}
        </div>
      </section>
      <NoticeSpot region="kpi" />
      <section
        className="card"
        aria-labelledby="kpi-title"
        data-testid="kpi-section"
        data-notice-region="kpi"
      >
        <div className="panel-head">
          <div>
            <span className="eyebrow">Monitor</span>
            <h2 id="kpi-title">KPI trends</h2>
          </div>
          {monitor && (
            <span className="small" data-testid="monitor-next-review">
              review {monitor.reviews + 1} <Countdown at={monitor.nextReviewAt} now={now} />
            </span>
          )}
        </div>
        <div className="chart-grid">
          {metrics.map((m) => (
            <KpiTrendChart
              key={m.key}
              metric={m}
              kpis={state.kpis}
              misses={monitor?.misses[m.key] ?? 0}
            />
          ))}
        </div>
        {(monitor?.done ?? []).length > 0 && (
          <div className="block" data-testid="kpi-reviews">
            <h3>KPI reviews</h3>
            <ul className="list">
              {[...(monitor?.done ?? [])].reverse().map((r) => (
                <li key={r.number} data-review={r.number} data-status={r.status}>
                  #{r.number} ·{' '}
                  {r.status === 'done' ? (
                    <span data-testid="kpi-review-by" data-by={r.by}>
                      {r.decision} by {nameOf(r.by ?? '?')}
                      {r.onBehalfOf !== undefined && ` for ${nameOf(r.onBehalfOf)}`}
                    </span>
                  ) : (
                    'missed'
                  )}{' '}
                  · {formatDateTime(r.at)} · {r.results.filter((x) => x.met).length}/
                  {r.results.length} on target
                  {r.actions.length > 0 && ` · ${r.actions.length} follow-up(s)`}
                </li>
              ))}
            </ul>
          </div>
        )}
        {open ? (
          <div className="block">
            <h3>Record a reading</h3>
            <KpiForm projectId={state.id} metrics={metrics} onDone={onDone} />
          </div>
        ) : (
          <p className="muted">The project is closed; readings can no longer be recorded.</p>
        )}
      </section>
    </div>
  );
}
