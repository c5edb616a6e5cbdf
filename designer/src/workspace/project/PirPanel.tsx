/**
 * The post-implementation review as a review: planned vs actual per metric with the pilot's
 * values beside the baseline, the delivery (date and cost) against its measures, lessons
 * learned and feedback (what was acted on), the criteria scorecard of each sign-off, the
 * decisions and the follow-up actions with owner, due date and state, by visit once the review
 * was entered again (PirRecords.tsx). Its reviewers record decisions and actions here; an
 * action's owner marks it done; the PM records the final cost.
 */
import {
  criteriaOf,
  gateMetrics,
  reviewerRoles,
  type NodeOf,
  type Template,
} from '../../../../workflows/model';
import { useSession } from '../../shell/session';
import { scoreText } from '../logic/signoff';
import { ReviewActionForm, ReviewDecisionForm } from '../actions/ReviewForms';
import { useNameOf } from '../people';
import type { PirRow, ProjectStateView } from '../types';
import { DeliveryStandingView } from './DeliveryPanel';
import { MetricNameCell, MetricTargetCell, MetricValueCell } from './metric-cells';
import { Decisions, FollowUps } from './PirRecords';

interface Props {
  node: NodeOf<'review'>;
  state: ProjectStateView;
  template: Template;
  pir: PirRow[];
  now: number;
  onDone: (message: string) => void;
}

export function PirPanel({ node, state, template, pir, now, onDone }: Props) {
  const { me } = useSession();
  const held = Object.keys(state.participants).filter((r) =>
    state.participants[r]!.includes(me.id),
  );
  const current = state.current.includes(node.id) && state.nodes[node.id]?.status === 'active';
  const reviewer = current && reviewerRoles(node).some((r) => held.includes(r));
  return (
    <div className="block" data-testid="pir-view">
      <PirMetrics state={state} template={template} pir={pir} />
      <DeliveryStandingView state={state} template={template} now={now} withForm onDone={onDone} />
      <Lessons state={state} />
      <Scorecard node={node} state={state} />
      <Decisions node={node} state={state} current={current} />
      {reviewer && <ReviewDecisionForm projectId={state.id} nodeId={node.id} onDone={onDone} />}
      <FollowUps
        node={node}
        state={state}
        current={current}
        template={template}
        now={now}
        onDone={onDone}
      />
      {reviewer && (
        <ReviewActionForm state={state} template={template} nodeId={node.id} onDone={onDone} />
      )}
    </div>
  );
}

/** Planned vs actual, with the value the pilot review saw (the gate that shows metrics). */
function PirMetrics({ state, template, pir }: Omit<Props, 'node' | 'now' | 'onDone'>) {
  const pilotGate = template.nodes.find((n) => n.type === 'gate' && n.metrics?.length);
  const pilot = new Map(
    (pilotGate ? gateMetrics(template, state, pilotGate.id) : []).map((r) => [r.key, r.value]),
  );
  if (pir.length === 0) return null;
  return (
    <div className="block" data-testid="pir-metrics">
      <h3>
        Planned vs actual{' '}
        <span className="muted small">
          {pir.filter((r) => r.met).length} of {pir.length} metrics on target
        </span>
      </h3>
      <table className="table">
        <thead>
          <tr>
            <th>Metric</th>
            <th>Baseline</th>
            {pilotGate && <th>{pilotGate.name}</th>}
            <th>Actual</th>
            <th>Target</th>
          </tr>
        </thead>
        <tbody>
          {pir.map((r) => (
            <tr
              key={r.key}
              data-testid="pir-metric"
              data-metric={r.key}
              data-met={r.met ?? 'unknown'}
            >
              <MetricNameCell name={r.name} unit={r.unit} />
              <td>{r.baseline ?? '—'}</td>
              {pilotGate && <td data-testid="pir-metric-pilot">{pilot.get(r.key) ?? '—'}</td>}
              <MetricValueCell value={r.actual} met={r.met} testId="pir-metric-actual" />
              <MetricTargetCell direction={r.direction} target={r.target} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Lessons learned and feedback: what was acted on (with what was done), what is still open. */
function Lessons({ state }: { state: ProjectStateView }) {
  const lessons = state.feedback.filter((f) => f.kind === 'lesson');
  const items = state.feedback.filter((f) => f.kind === 'feedback');
  const acted = items.filter((f) => f.status === 'acted_on');
  const open = items.filter((f) => f.status === undefined || f.status === 'acknowledged');
  return (
    <div className="block" data-testid="pir-feedback">
      <h3>Lessons learned</h3>
      {lessons.length === 0 ? (
        <p className="muted small">None recorded yet (the Feedback tab takes them).</p>
      ) : (
        <ul>
          {lessons.map((f) => (
            <li key={f.id} data-testid="pir-lesson">
              {f.text}
            </li>
          ))}
        </ul>
      )}
      <h3>
        Feedback acted on{' '}
        <span className="muted small">
          {acted.length} of {items.length}
          {open.length > 0 && `, ${open.length} still open`}
        </span>
      </h3>
      <ul>
        {items.map((f) => (
          <li key={f.id} data-testid="pir-feedback-item" data-status={f.status ?? 'open'}>
            {f.text} <span className="muted small">({(f.status ?? 'open').replace('_', ' ')})</span>
            {f.status === 'acted_on' && (
              <>
                {' '}
                — <em data-testid="pir-feedback-acted">{f.response}</em>
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Each sign-off's answers to the review's criteria and its weighted score. */
function Scorecard({ node, state }: { node: NodeOf<'review'>; state: ProjectStateView }) {
  const nameOf = useNameOf();
  const criteria = criteriaOf(node);
  const votes = state.nodes[node.id]?.votes ?? [];
  if (criteria.length === 0) return null;
  const shown = (answer: boolean | number | undefined) =>
    answer === undefined
      ? '—'
      : typeof answer === 'boolean'
        ? answer
          ? 'met'
          : 'not met'
        : `${answer}/10`;
  return (
    <div className="block" data-testid="pir-scorecard">
      <h3>Criteria</h3>
      <table className="table">
        <thead>
          <tr>
            <th>Criterion</th>
            {votes.map((v) => (
              <th key={v.userId}>{nameOf(v.userId)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {criteria.map((c) => (
            <tr key={c.id} data-testid="pir-criterion" data-criterion={c.id}>
              <td>
                {c.text}{' '}
                <span className="muted small">
                  {c.kind === 'must' ? 'must' : `weight ${c.weight ?? 1}`}
                </span>
              </td>
              {votes.map((v) => (
                <td key={v.userId}>{shown(v.criteria?.[c.id])}</td>
              ))}
            </tr>
          ))}
          <tr>
            <td>
              <strong>Weighted score</strong>
              {node.passScore !== undefined && (
                <span className="muted small"> (pass {scoreText(node.passScore)})</span>
              )}
            </td>
            {votes.map((v) => (
              <td key={v.userId} data-testid="pir-score">
                {v.score !== undefined ? scoreText(v.score) : '—'}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
      {votes.length === 0 && <p className="muted small">No sign-off yet.</p>}
    </div>
  );
}
