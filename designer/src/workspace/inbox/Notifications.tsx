/** The caller's in-app notifications (`GET /api/inbox/notifications`), newest first. */
import { useState } from 'react';
import { hrefOf } from '../../shell/routes';
import { useSession } from '../../shell/session';
import { formatCountdown, formatDateTime } from '../logic/time';
import type { InboxItem, Page } from '../types';
import { useNow } from '../ui/hooks';
import { usePaged } from '../ui/paged';
import { Empty, Loading, ProblemView } from '../ui/states';

export function Notifications() {
  const { api } = useSession();
  const now = useNow(60_000);
  const [unread, setUnread] = useState(false);
  const list = usePaged(
    (cursor) =>
      api<Page<InboxItem>>('notifications', {
        query: { cursor, limit: 30, ...(unread && { unread: 'true' as const }) },
      }),
    [unread],
  );
  return (
    <div data-testid="notifications">
      <div className="filters">
        <label className="check">
          <input type="checkbox" checked={unread} onChange={(e) => setUnread(e.target.checked)} />
          Unread only
        </label>
        <button type="button" className="btn btn-small" onClick={list.reload}>
          Refresh
        </button>
      </div>
      {list.loading && list.items.length === 0 ? (
        <Loading what="Loading notifications" />
      ) : list.error !== undefined && list.items.length === 0 ? (
        <ProblemView error={list.error} onRetry={list.reload} />
      ) : list.items.length === 0 ? (
        <Empty title="No notifications">Reminders, escalations and celebrations appear here.</Empty>
      ) : (
        <ul className="notification-list">
          {list.items.map((n) => (
            <li
              key={n.id}
              className={`card notification${n.readAt === undefined ? ' unread' : ''}`}
              data-testid="notification"
              data-kind={n.kind}
              data-project-id={n.projectId}
            >
              <div className="notification-head">
                <span className={`badge badge-kind-${n.kind}`}>{n.kind.replace(/-/g, ' ')}</span>
                <strong>{n.subject}</strong>
                <time
                  className="muted small"
                  dateTime={new Date(n.createdAt).toISOString()}
                  title={formatDateTime(n.createdAt)}
                >
                  {formatCountdown(n.createdAt, now)}
                </time>
                <a
                  className="small"
                  href={hrefOf({ name: 'project', id: n.projectId, tab: 'overview' })}
                >
                  Open project
                </a>
              </div>
              <details className="small">
                <summary>Details</summary>
                <p className="pre">{n.text}</p>
              </details>
            </li>
          ))}
        </ul>
      )}
      {list.hasMore && (
        <button
          type="button"
          className="btn"
          onClick={list.loadMore}
          disabled={list.loadingMore}
          data-testid="notifications-load-more"
        >
          {list.loadingMore ? 'Loading…' : 'Load more'}
        </button>
      )}
    </div>
  );
}
