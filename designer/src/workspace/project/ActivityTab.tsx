/** What happened: the recent timeline (live, from the state) and the full audit trail (paged). */
import { useCallback, useEffect, useRef } from 'react';
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
      <AuditTrail projectId={state.id} seq={state.seq} names={names} />
    </div>
  );
}

/**
 * The project's audit trail, paged. It follows the project: while the live state counts
 * entries the trail does not show (the state's `seq` is the next entry's), they are being
 * recorded — an action's, or the first ones of a project whose page opened before the worker
 * ran it — and the pages shown are fetched again, at once and then less and less often.
 */
function AuditTrail({ projectId, seq, names }: { projectId: string; seq: number; names: Names }) {
  const { api } = useSession();
  const withNames = useWithNames();
  const trail = usePaged(
    useCallback(
      (cursor: string | undefined) =>
        api('audit', { params: { id: projectId }, query: { cursor, limit: 50 } }),
      [api, projectId],
    ),
  );
  const { items, loading, hasMore, error, refresh } = trail;
  const behind = !loading && !hasMore && error === undefined && (items.at(-1)?.seq ?? 0) < seq - 1;
  const tries = useRef(0);
  useEffect(() => {
    if (!behind) {
      tries.current = 0;
      return;
    }
    const delay = tries.current === 0 ? 0 : Math.min(500 * 2 ** (tries.current - 1), 8_000);
    tries.current += 1;
    const timer = setTimeout(refresh, delay);
    return () => clearTimeout(timer);
    // Each answer (a new `items`) is another try.
  }, [behind, items, refresh]);
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
