/**
 * A review's decisions and follow-up actions. A review the template loops back into is entered
 * again, and its record keeps earlier visits' decisions beside the current one's (actions
 * outlive the review): once it was entered more than once, each list is grouped under a
 * heading per visit, the latest first, so this visit's are never mistaken for earlier ones.
 */
import { useId, useState, type ReactNode } from 'react';
import { nextActions, reviewActionVisit } from '../../../../workflows/lifecycle';
import { LIMITS, type NodeOf, type Obligation, type Template } from '../../../../workflows/model';
import type { ProjectStateView } from '../types';
import { useSession } from '../../shell/session';
import { ConditionMetForm } from '../actions/SimpleForms';
import { byVisit, visitHeading, type VisitGroup } from '../logic/pir';
import { formatDateTime } from '../logic/time';
import { useNameOf } from '../people';
import { Due } from '../ui/badges';

interface RecordProps {
  node: NodeOf<'review'>;
  state: ProjectStateView;
  /** The review is current (active and among the project's current steps). */
  current: boolean;
}

/** One visit's items under its heading ("This visit (visit 2) · 1 decision"). */
function VisitSection<T>(props: {
  group: VisitGroup<T>;
  current: boolean;
  noun: string;
  testId: string;
  children: (items: T[]) => ReactNode;
}) {
  const { group, current, noun, testId, children } = props;
  const headingId = useId();
  return (
    <section
      aria-labelledby={headingId}
      data-testid={testId}
      data-visit={group.visit}
      data-latest={group.latest}
    >
      <h4 id={headingId} data-testid={`${testId}-heading`}>
        {visitHeading(group, current, noun)}
      </h4>
      {group.items.length === 0 ? (
        <p className="muted small">None in this visit yet.</p>
      ) : (
        children(group.items)
      )}
    </section>
  );
}

/** The items as one list while the review was entered once, else a section per visit. */
function ByVisit<T>(props: {
  items: readonly T[];
  visitOf: (item: T) => number | undefined;
  visits: number;
  current: boolean;
  noun: string;
  testId: string;
  children: (items: T[]) => ReactNode;
}) {
  const { items, visitOf, visits, ...section } = props;
  if (visits <= 1) return <>{section.children([...items])}</>;
  return (
    <>
      {byVisit(items, visitOf, visits).map((group) => (
        <VisitSection key={group.visit} group={group} {...section} />
      ))}
    </>
  );
}

export function Decisions({ node, state, current }: RecordProps) {
  const nameOf = useNameOf();
  const rec = state.nodes[node.id];
  const decisions = rec?.review?.decisions ?? [];
  const visits = rec?.visits ?? 1;
  const earlier = decisions.filter((d) => d.visit !== visits).length;
  return (
    <div className="block" data-testid="pir-decisions">
      <h3>Decisions</h3>
      {decisions.length === 0 && visits <= 1 ? (
        <p className="muted small">None recorded yet.</p>
      ) : (
        <ByVisit
          items={decisions}
          visitOf={(d) => d.visit}
          visits={visits}
          current={current}
          noun="decision"
          testId="pir-decision-visit"
        >
          {(items) => (
            <ul>
              {items.map((d) => (
                <li key={d.id} data-testid="pir-decision" data-visit={d.visit}>
                  {d.text}{' '}
                  <span className="muted small">
                    {nameOf(d.by)} · {formatDateTime(d.at)}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </ByVisit>
      )}
      {earlier >= LIMITS.reviewDecisions && (
        <p className="muted small" data-testid="pir-decisions-kept">
          Of earlier visits the newest {LIMITS.reviewDecisions} decisions are kept here; the audit
          trail has them all.
        </p>
      )}
    </div>
  );
}

export function FollowUps({
  node,
  state,
  current,
  template,
  now,
  onDone,
}: RecordProps & { template: Template; now: number; onDone: (message: string) => void }) {
  const actions = state.conditions.filter(
    (c) => c.kind === 'review-action' && c.nodeId === node.id,
  );
  const visits = state.nodes[node.id]?.visits ?? 1;
  return (
    <div className="block" data-testid="pir-actions">
      <h3>Follow-up actions</h3>
      {actions.length === 0 && visits <= 1 && <p className="muted small">None set yet.</p>}
      <ByVisit
        items={actions}
        visitOf={reviewActionVisit}
        visits={visits}
        current={current}
        noun="action"
        testId="pir-action-visit"
      >
        {(items) => (
          <ActionList actions={items} state={state} template={template} now={now} onDone={onDone} />
        )}
      </ByVisit>
    </div>
  );
}

function ActionList(props: {
  actions: Obligation[];
  state: ProjectStateView;
  template: Template;
  now: number;
  onDone: (message: string) => void;
}) {
  const { actions, state, template, now, onDone } = props;
  const { me } = useSession();
  const nameOf = useNameOf();
  const [open, setOpen] = useState<string>();
  const mine = nextActions(state, template, me.id);
  const mayComplete = (id: string) =>
    mine.some((a) => a.action === 'complete-review-action' && a.itemId === id);
  const roleName = (key: string) => template.roles.find((r) => r.key === key)?.name ?? key;
  return (
    <ul className="conditions-list">
      {actions.map((a) => (
        <li key={a.id} data-testid="pir-action" data-action-id={a.id} data-status={a.status}>
          <div className="row-between">
            <div>
              <span className={`badge badge-cond-${a.status}`}>
                {a.status === 'met' ? 'done' : a.status}
              </span>{' '}
              <strong>{a.text}</strong>
              <div className="muted small" data-testid="pir-action-facts">
                owner {a.assignee !== undefined ? nameOf(a.assignee) : roleName(a.owner)} ·{' '}
                {a.status === 'met' ? (
                  `due ${formatDateTime(a.dueAt)}`
                ) : (
                  <Due at={a.dueAt} now={now} phrase />
                )}
                {a.metBy && ` · done by ${nameOf(a.metBy)}`}
                {a.note && ` · ${a.note}`}
              </div>
            </div>
            {mayComplete(a.id) && open !== a.id && (
              <button
                type="button"
                className="btn btn-small btn-primary"
                onClick={() => setOpen(a.id)}
                data-testid="pir-action-open"
              >
                Mark done
              </button>
            )}
          </div>
          {open === a.id && (
            <ConditionMetForm
              projectId={state.id}
              condition={a}
              onDone={(m) => {
                setOpen(undefined);
                onDone(m);
              }}
            />
          )}
        </li>
      ))}
    </ul>
  );
}
