/**
 * Everything the interpreter emitted, newest first, with virtual timestamps: notifications
 * (kind, recipients, subject) — reminders, escalations, hypercare expiry among them — and
 * audit entries (who did what, where, why). The next pending timers are listed above.
 */
import { useState } from 'react';
import { formatInstant, upcoming, type SimEvent, type SimSession } from '../logic/simulation';

type Filter = 'all' | 'notification' | 'audit';

export function Timeline({ session }: { session: SimSession }) {
  const [filter, setFilter] = useState<Filter>('all');
  const events = session.events
    .filter((e) => filter === 'all' || e.kind === filter)
    .slice()
    .reverse();
  const timers = upcoming(session).slice(0, 5);
  return (
    <section className="gh-sim-timeline" aria-label="Timeline" data-testid="sim-timeline">
      <header>
        <h2 className="gh-panel-title">Timeline</h2>
        <label>
          Show{' '}
          <select
            data-testid="sim-timeline-filter"
            value={filter}
            onChange={(e) => setFilter(e.target.value as Filter)}
          >
            <option value="all">everything</option>
            <option value="notification">notifications</option>
            <option value="audit">audit trail</option>
          </select>
        </label>
      </header>
      <div className="gh-sim-upcoming" data-testid="sim-upcoming">
        <strong>Next timers:</strong>{' '}
        {timers.length === 0
          ? 'none'
          : timers.map((d) => (
              <span key={d.id} className="gh-timer">
                {d.kind}
                {d.nodeId ? ` (${d.nodeId})` : ''} at {formatInstant(d.at)}
              </span>
            ))}
      </div>
      <ol className="gh-events">
        {events.map((event) => (
          <EventRow key={event.seq} event={event} />
        ))}
      </ol>
    </section>
  );
}

function EventRow({ event }: { event: SimEvent }) {
  if (event.kind === 'notification') {
    const n = event.notification;
    return (
      <li
        className={`gh-event is-notification kind-${n.kind}`}
        data-testid="sim-event"
        data-kind="notification"
        data-type={n.kind}
      >
        <time>{formatInstant(event.at)}</time>
        <span className="gh-event-tag">{n.kind}</span>
        <span className="gh-event-text">
          {n.subject.replace(/^Simulation: /, '')}
          <span className="gh-muted gh-small"> → {n.recipients.join(', ')}</span>
        </span>
      </li>
    );
  }
  const a = event.audit;
  return (
    <li
      className="gh-event is-audit"
      data-testid="sim-event"
      data-kind="audit"
      data-type={a.action}
    >
      <time>{formatInstant(event.at)}</time>
      <span className="gh-event-tag">audit</span>
      <span className="gh-event-text">
        <code>{a.action}</code>
        {a.nodeId && ` at ${a.nodeId}`} by {a.actor}
        {a.reason && <span className="gh-muted"> — {a.reason}</span>}
      </span>
    </li>
  );
}
