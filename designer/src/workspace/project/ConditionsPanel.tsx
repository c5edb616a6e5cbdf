/** Conditional Go obligations: who owes what by when; owners mark theirs met here. */
import { useState } from 'react';
import { nextActions } from '../../../../workflows/lifecycle';
import type { Template } from '../../../../workflows/model';
import type { ProjectStateView } from '../types';
import { useSession } from '../../shell/session';
import { ConditionMetForm } from '../actions/SimpleForms';
import { formatDateTime } from '../logic/time';
import { Due } from '../ui/badges';
import { useNameOf } from '../people';

export function ConditionsPanel({
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
  const { me } = useSession();
  const nameOf = useNameOf();
  const [open, setOpen] = useState<string>();
  // A review's follow-up actions are listed with their review (PirPanel).
  const conditions = state.conditions.filter((c) => c.kind !== 'review-action');
  if (conditions.length === 0) return null;
  const mine = nextActions(state, template, me.id);
  const mayMeet = (id: string) =>
    mine.some((a) => a.action === 'meet-condition' && a.itemId === id && a.pending);
  const roleName = (key: string) => template.roles.find((r) => r.key === key)?.name ?? key;
  const nodeName = (id: string) => template.nodes.find((n) => n.id === id)?.name ?? id;
  return (
    <section className="card" aria-labelledby="conditions-title" data-testid="conditions-panel">
      <h2 id="conditions-title">Conditions</h2>
      <ul className="conditions-list">
        {conditions.map((c) => (
          <li key={c.id} data-testid="condition" data-condition-id={c.id} data-status={c.status}>
            <div className="row-between">
              <div>
                <span className={`badge badge-cond-${c.status}`}>{c.status}</span>{' '}
                <strong>{c.text}</strong>
                <div className="muted small">
                  {nodeName(c.nodeId)} · owner {roleName(c.owner)} ·{' '}
                  {c.status === 'met' ? (
                    `due ${formatDateTime(c.dueAt)}`
                  ) : (
                    <Due at={c.dueAt} now={now} phrase />
                  )}
                  {c.metBy &&
                    ` · met by ${nameOf(c.metBy)}${c.metAt ? ` ${formatDateTime(c.metAt)}` : ''}`}
                </div>
              </div>
              {mayMeet(c.id) && open !== c.id && (
                <button
                  type="button"
                  className="btn btn-small btn-primary"
                  onClick={() => setOpen(c.id)}
                  data-testid="condition-open"
                >
                  Mark met
                </button>
              )}
            </div>
            {open === c.id && (
              <ConditionMetForm
                projectId={state.id}
                condition={c}
                onDone={(m) => {
                  setOpen(undefined);
                  onDone(m);
                }}
              />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
