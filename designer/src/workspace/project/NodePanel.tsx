/** The selected step of the project: its record (votes, deliverables, decisions) and your actions on it. */
import type { ReactNode } from 'react';
import { ownersOf, type Node, type NodeRecord, type Template } from '../../../../workflows/model';
import { ActionForm, ACTION_LABELS } from '../actions/ActionForm';
import { safeHref } from '../logic/links';
import { nodeOverlay } from '../logic/overlay';
import { scoreText } from '../logic/signoff';
import { durationInWords, formatDateTime } from '../logic/time';
import { hrefOf } from '../../shell/routes';
import type { PendingAction, PirRow, ProjectStateView } from '../types';
import { Due, NodeStatusBadge } from '../ui/badges';
import { NODE_TYPE_LABELS } from './GraphNode';
import { useNameOf } from '../people';
import { PirPanel } from './PirPanel';
import { GateMetrics } from './GateMetrics';
import { ReadinessPanel } from './ReadinessPanel';

export function NodePanel({
  node,
  state,
  template,
  now,
  actions,
  pir,
  onSelect,
  onDone,
}: {
  node: Node;
  state: ProjectStateView;
  template: Template;
  now: number;
  /** The caller's pending actions on this node. */
  actions: PendingAction[];
  /** Planned vs actual: a review shows how many metrics are on target. */
  pir: PirRow[];
  onSelect: (nodeId: string) => void;
  onDone: (message: string) => void;
}) {
  const nameOf = useNameOf();
  const record = state.nodes[node.id];
  const overlay = nodeOverlay(node, state, template, now);
  const roleName = (key: string) => template.roles.find((r) => r.key === key)?.name ?? key;
  return (
    <section
      className="card node-panel"
      aria-labelledby="node-panel-title"
      data-testid="node-panel"
      data-node-id={node.id}
    >
      <div className="panel-head">
        <div>
          <span className="eyebrow">{NODE_TYPE_LABELS[node.type]}</span>
          <h2 id="node-panel-title" tabIndex={-1}>
            {node.name}
          </h2>
        </div>
        <NodeStatusBadge status={overlay.status} />
      </div>
      <label className="step-picker">
        <span className="sr-only">Show step</span>
        <select
          value={node.id}
          onChange={(e) => onSelect(e.target.value)}
          data-testid="node-picker"
        >
          {template.nodes.map((n) => (
            <option key={n.id} value={n.id}>
              {NODE_TYPE_LABELS[n.type]} · {n.name}
            </option>
          ))}
        </select>
      </label>
      {node.description && <p className="muted">{node.description}</p>}
      <dl className="facts">
        {ownersOf(node).length > 0 && (
          <Fact label={ownersOf(node).length > 1 ? 'Owners (jointly)' : 'Owner'}>
            {ownersOf(node).map(roleName).join(', ')}
          </Fact>
        )}
        {record?.enteredAt !== undefined && (
          <Fact label="Entered">{formatDateTime(record.enteredAt)}</Fact>
        )}
        {record?.leftAt !== undefined && <Fact label="Left">{formatDateTime(record.leftAt)}</Fact>}
        {overlay.dueAt !== undefined && (
          <Fact label="Due">
            <Due at={overlay.dueAt} now={now} testId="node-due" />
          </Fact>
        )}
        {(record?.visits ?? 0) > 1 && <Fact label="Visits">{record?.visits}</Fact>}
      </dl>
      {node.type === 'review' && (
        <p className="banner" data-testid="node-pir-summary">
          {pir.filter((r) => r.met).length} of {pir.length} metrics on target.{' '}
          <a href={hrefOf({ name: 'project', id: state.id, tab: 'benefits' })}>
            Compare planned and actual benefits
          </a>
        </p>
      )}
      {/* A signer sees the pilot's KPIs in the sign-off form below instead. */}
      {!actions.some((a) => a.action === 'signoff') && (
        <GateMetrics node={node} state={state} template={template} />
      )}
      {node.type === 'gate' && (
        <ReadinessPanel node={node} record={record} nameOf={nameOf} roleName={roleName} />
      )}
      {node.type === 'review' && (
        <PirPanel
          node={node}
          state={state}
          template={template}
          pir={pir}
          now={now}
          onDone={onDone}
        />
      )}
      {overlay.tallies.length > 0 && (
        <div className="block">
          <h3>
            Sign-off {record?.votes.length ? '' : <span className="muted small">no votes yet</span>}
          </h3>
          <ul className="tally-list">
            {overlay.tallies.map((t) => (
              <li key={t.role} className={t.met ? 'met' : ''}>
                {t.roleName}: {t.go}/{t.min} go
              </li>
            ))}
          </ul>
          <Votes record={record} roleName={roleName} nameOf={nameOf} />
        </div>
      )}
      <Deliverables node={node} record={record} nameOf={nameOf} />
      {record && record.decisions.length > 0 && (
        <div className="block">
          <h3>Decisions</h3>
          <ul className="plain">
            {record.decisions.map((d, i) => (
              <li key={i}>
                visit {d.visit}: <strong>{d.outcome}</strong>{' '}
                <span className="muted small">{formatDateTime(d.at)}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {actions.map((a) => (
        <div
          className="block your-turn"
          key={`${a.action}:${a.itemId ?? ''}`}
          data-testid="node-action"
          data-action={a.action}
        >
          <h3>
            Your turn: {ACTION_LABELS[a.action]}
            {a.detail && <span className="muted"> · {a.detail}</span>}
          </h3>
          <ActionForm action={a} state={state} template={template} onDone={onDone} />
        </div>
      ))}
    </section>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Votes({
  record,
  roleName,
  nameOf,
}: {
  record: NodeRecord | undefined;
  roleName: (k: string) => string;
  nameOf: (id: string) => string;
}) {
  if (!record?.votes.length) return null;
  return (
    <ul className="votes" data-testid="node-votes">
      {record.votes.map((v) => (
        <li key={v.userId} data-decision={v.decision}>
          <span className={`badge badge-decision-${v.decision}`}>{v.decision}</span>{' '}
          <strong>{nameOf(v.userId)}</strong> <span className="muted">as {roleName(v.role)}</span>
          {v.by !== undefined && (
            <span className="muted" data-testid="vote-by">
              {' '}
              (signed for them by {nameOf(v.by)})
            </span>
          )}
          {v.score !== undefined && <span className="tag">score {scoreText(v.score)}</span>}
          <span className="muted small"> · {formatDateTime(v.at)}</span>
          {v.comment && <p className="quote">{v.comment}</p>}
          {v.conditions?.length ? (
            <ul className="plain small">
              {v.conditions.map((c, i) => (
                <li key={i}>
                  condition: {c.text} ({roleName(c.owner)}, due within {durationInWords(c.due)})
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function Deliverables({
  node,
  record,
  nameOf,
}: {
  node: Node;
  record: NodeRecord | undefined;
  nameOf: (id: string) => string;
}) {
  const list = node.type === 'stage' || node.type === 'gate' ? (node.deliverables ?? []) : [];
  if (list.length === 0) return null;
  return (
    <div className="block">
      <h3>Deliverables</h3>
      <ul className="checklist" data-testid="node-deliverable-list">
        {list.map((d) => {
          const s = record?.deliverables[d.id];
          return (
            <li
              key={d.id}
              className={s ? 'ok' : d.required ? 'missing' : ''}
              data-deliverable-id={d.id}
              data-submitted={Boolean(s)}
            >
              {s ? '✓' : '○'} {d.name}
              {!d.required && <span className="muted"> (optional)</span>}
              {s && (
                <div className="muted small">
                  {nameOf(s.by)} · {formatDateTime(s.at)}
                  {s.url &&
                    (safeHref(s.url) ? (
                      <>
                        {' · '}
                        <a href={safeHref(s.url)} target="_blank" rel="noreferrer noopener">
                          open link
                        </a>
                      </>
                    ) : (
                      <>
                        {' '}
                        · <code>{s.url}</code>
                      </>
                    ))}
                  {s.text && <p className="quote">{s.text}</p>}
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
