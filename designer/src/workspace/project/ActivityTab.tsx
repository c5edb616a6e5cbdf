/** What happened: the recent timeline (live, from the state) and the full audit trail (paged). */
import { useCallback } from 'react';
import type { Template } from '../../../../workflows/model';
import type { ProjectStateView } from '../types';
import { useSession } from '../../shell/session';
import { actorName, describeEntry, type Names } from '../logic/audit';
import { formatDateTime } from '../logic/time';
import { usePaged } from '../ui/paged';
import { Empty, Loading, ProblemView } from '../ui/states';
import { useNameOf, useWithNames } from '../people';

export function ActivityTab({ state, template }: { state: ProjectStateView; template: Template }) {
  const nameOf = useNameOf();
  const names: Names = {
    node: (id) => template.nodes.find((n) => n.id === id)?.name ?? id,
    role: (key) => template.roles.find((r) => r.key === key)?.name ?? key,
    user: nameOf,
    deliverable: (nodeId, id) => {
      const node = template.nodes.find((n) => n.id === nodeId);
      const list = node?.type === 'stage' || node?.type === 'gate' ? (node.deliverables ?? []) : [];
      return list.find((d) => d.id === id)?.name ?? id;
    },
  };
  const recent = [...state.timeline].reverse();
  return (
    <div className="two-col wide-right">
      <section className="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline</h2>
        {recent.length === 0 ? (
          <Empty title="Nothing yet" />
        ) : (
          <ol className="timeline" data-testid="timeline">
            {recent.map((e) => (
              <li key={e.seq} data-action={e.action}>
                <time dateTime={new Date(e.at).toISOString()}>{formatDateTime(e.at)}</time>
                <div>
                  <strong>{actorName(e.actor, names)}</strong> {describeEntry(e, names)}
                  {e.reason && <p className="quote">{e.reason}</p>}
                </div>
              </li>
            ))}
          </ol>
        )}
      </section>
      <AuditTrail projectId={state.id} names={names} />
    </div>
  );
}

function AuditTrail({ projectId, names }: { projectId: string; names: Names }) {
  const { api } = useSession();
  const withNames = useWithNames();
  const trail = usePaged(
    useCallback(
      (cursor: string | undefined) =>
        api('audit', { params: { id: projectId }, query: { cursor, limit: 50 } }),
      [api, projectId],
    ),
  );
  return (
    <section className="card table-card" aria-labelledby="audit-title">
      <div className="panel-head">
        <h2 id="audit-title">Audit trail</h2>
        <button type="button" className="btn btn-small" onClick={trail.reload}>
          Refresh
        </button>
      </div>
      {trail.loading && trail.items.length === 0 ? (
        <Loading what="Loading the audit trail" />
      ) : trail.error !== undefined && trail.items.length === 0 ? (
        <ProblemView error={trail.error} onRetry={trail.reload} />
      ) : trail.items.length === 0 ? (
        <Empty title="The audit trail is empty" />
      ) : (
        <table className="table compact" data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {trail.items.map((e) => (
              <tr key={e.seq} data-testid="audit-row" data-action={e.action}>
                <td className="num">{e.seq}</td>
                <td className="nowrap">{formatDateTime(e.at)}</td>
                <td>{actorName(e.actor, names)}</td>
                <td>
                  {describeEntry(e, names)}
                  {e.detail && (
                    <details>
                      <summary className="small">detail</summary>
                      <pre className="detail">{JSON.stringify(withNames(e.detail), null, 2)}</pre>
                    </details>
                  )}
                </td>
                <td>{e.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {trail.hasMore && (
        <div className="table-foot">
          <button
            type="button"
            className="btn"
            onClick={trail.loadMore}
            disabled={trail.loadingMore}
            data-testid="audit-load-more"
          >
            {trail.loadingMore ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </section>
  );
}
