/**
 * The caller's notifications, newest first: filtered by project, kind and unread (the filter
 * lives in the hash, so a filtered list can be linked), marked read one by one or all at once,
 * each with a link to the exact place to act. Live: the inbox stream refetches what changed.
 */
import { NOTIFICATION_KINDS, type Notification } from '../../../../workflows/model';
import { instantsInWords } from '../../../../workflows/model/instants';
import { notificationPath } from '../../../../workflows/model/links';
import { navigate } from '../../shell/navigation';
import type { NotificationFilter } from '../../shell/routes';
import { formatCountdown, formatDateTime } from '../logic/time';
import type { InboxItem } from '../types';
import { useNow } from '../ui/hooks';
import { Empty, Loading, ProblemView, StaleNotice } from '../ui/states';
import { useInboxLiveStatus, useInboxSummary, useMarkRead, useNotifications } from './queries';

/** What each kind of notification is called on screen. */
export const KIND_LABELS: Record<Notification['kind'], string> = {
  'action-required': 'Action required',
  reminder: 'Reminder',
  escalation: 'Escalation',
  celebration: 'Celebration',
  'kpi-review': 'KPI review',
  'kpi-alert': 'KPI alert',
  'condition-missed': 'Condition missed',
  message: 'Message',
  'project-closed': 'Project closed',
  feedback: 'Feedback',
  'budget-alert': 'Budget alert',
};

export function Notifications({ filter }: { filter: NotificationFilter }) {
  const now = useNow(60_000);
  const live = useInboxLiveStatus();
  const summary = useInboxSummary(live);
  const list = useNotifications(filter);
  const mark = useMarkRead();
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const unread = summary.data?.unread ?? 0;
  const setFilter = (next: NotificationFilter) =>
    navigate({ name: 'inbox', tab: 'notifications', filter: next });
  const filtered = Boolean(filter.project || filter.kind || filter.unread);
  // A project or kind asked for by a link but absent from the counts still shows as chosen.
  const projects = summary.data?.projects ?? [];
  const kinds = summary.data?.kinds ?? [];

  return (
    <div data-testid="notifications">
      <div className="filters" role="group" aria-label="Filters">
        <label>
          Project
          <select
            value={filter.project ?? ''}
            onChange={(e) => {
              const { project: _project, ...rest } = filter;
              setFilter(e.target.value ? { ...rest, project: e.target.value } : rest);
            }}
            data-testid="notifications-filter-project"
          >
            <option value="">All projects</option>
            {filter.project && !projects.some((p) => p.id === filter.project) && (
              <option value={filter.project}>{filter.project}</option>
            )}
            {projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
                {p.unread > 0 ? ` (${p.unread} unread)` : ''}
              </option>
            ))}
          </select>
        </label>
        <label>
          Kind
          <select
            value={filter.kind ?? ''}
            onChange={(e) => {
              const { kind: _kind, ...rest } = filter;
              const kind = NOTIFICATION_KINDS.find((k) => k === e.target.value);
              setFilter(kind ? { ...rest, kind } : rest);
            }}
            data-testid="notifications-filter-kind"
          >
            <option value="">All kinds</option>
            {NOTIFICATION_KINDS.filter(
              (k) => k === filter.kind || kinds.some((c) => c.kind === k),
            ).map((k) => {
              const count = kinds.find((c) => c.kind === k);
              return (
                <option key={k} value={k}>
                  {KIND_LABELS[k]}
                  {count?.unread ? ` (${count.unread} unread)` : ''}
                </option>
              );
            })}
          </select>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={filter.unread === true}
            onChange={(e) => {
              const { unread: _unread, ...rest } = filter;
              setFilter(e.target.checked ? { ...rest, unread: true } : rest);
            }}
            data-testid="notifications-filter-unread"
          />
          Unread only
        </label>
        <button
          type="button"
          className="btn btn-small"
          disabled={unread === 0 || mark.isPending}
          onClick={() => mark.mutate({ all: true })}
          data-testid="notifications-mark-all"
        >
          Mark all read
        </button>
      </div>
      {mark.isError && <ProblemView error={mark.error} />}
      {list.isError && items.length > 0 && (
        <StaleNotice error={list.error} onRetry={() => void list.refetch()} />
      )}
      {list.isPending ? (
        <Loading what="Loading notifications" />
      ) : list.isError && items.length === 0 ? (
        <ProblemView error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <Empty title={filtered ? 'No notification matches these filters' : 'No notifications'}>
          {filtered ? null : 'Reminders, escalations and celebrations appear here.'}
        </Empty>
      ) : (
        <ul className="notification-list" data-testid="notification-list">
          {items.map((n) => (
            <NotificationCard
              key={n.id}
              item={n}
              now={now}
              projectName={projects.find((p) => p.id === n.projectId)?.name}
              onRead={() => mark.mutate({ ids: [n.id] })}
            />
          ))}
        </ul>
      )}
      {list.hasNextPage && (
        <button
          type="button"
          className="btn"
          onClick={() => void list.fetchNextPage()}
          disabled={list.isFetchingNextPage}
          data-testid="notifications-load-more"
        >
          {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </div>
  );
}

function NotificationCard({
  item: n,
  now,
  projectName,
  onRead,
}: {
  item: InboxItem;
  now: number;
  projectName: string | undefined;
  onRead: () => void;
}) {
  const unread = n.readAt === undefined;
  return (
    <li
      className={`card notification${unread ? ' unread' : ''}`}
      data-testid="notification"
      data-id={n.id}
      data-kind={n.kind}
      data-project-id={n.projectId}
      data-read={unread ? 'false' : 'true'}
    >
      <div className="notification-head">
        <span className={`badge badge-kind-${n.kind}`}>{KIND_LABELS[n.kind]}</span>
        <strong>{instantsInWords(n.subject, formatDateTime)}</strong>
        <time
          className="muted small"
          dateTime={new Date(n.createdAt).toISOString()}
          title={formatDateTime(n.createdAt)}
        >
          {formatCountdown(n.createdAt, now)}
        </time>
      </div>
      <div className="notification-actions small">
        {projectName && <span className="muted">{projectName}</span>}
        <a
          className="btn btn-small btn-primary"
          href={notificationPath(n)}
          // Following the link is reading it.
          onClick={() => unread && onRead()}
          data-testid="notification-open"
        >
          {n.kind === 'action-required' ? 'Act on it' : 'Open'}
        </a>
        {unread && (
          <button
            type="button"
            className="btn btn-small"
            onClick={onRead}
            data-testid="notification-mark-read"
          >
            Mark read
          </button>
        )}
      </div>
      <details className="small">
        <summary>Details</summary>
        <p className="pre">{instantsInWords(n.text, formatDateTime)}</p>
      </details>
    </li>
  );
}
