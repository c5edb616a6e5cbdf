/** Status badges and the live countdown: one colour language across the workspace. */
import { severityName, type ProjectStatus } from '../../../../workflows/model';
import type { OverlayStatus } from '../logic/overlay';
import { formatCountdown, formatDateTime, formatDue } from '../logic/time';

const PROJECT_LABELS: Record<ProjectStatus, string> = {
  active: 'Active',
  on_hold: 'On hold',
  completed: 'Completed',
  killed: 'Killed',
  cancelled: 'Cancelled',
  terminated: 'Terminated',
};

export function ProjectStatusBadge({ status }: { status: ProjectStatus }) {
  return (
    <span className={`badge badge-${status}`} data-testid="project-status" data-status={status}>
      {PROJECT_LABELS[status]}
    </span>
  );
}

export const NODE_STATUS_LABELS: Record<OverlayStatus, string> = {
  done: 'Done',
  active: 'Active',
  on_hold: 'On hold',
  blocked: 'Blocked',
  pending: 'Pending',
};

export function NodeStatusBadge({ status }: { status: OverlayStatus }) {
  return <span className={`badge badge-node-${status}`}>{NODE_STATUS_LABELS[status]}</span>;
}

/** "in 3d 4h" / "2h ago", with the exact time on hover; red once past. */
export function Countdown({ at, now, testId }: { at: number; now: number; testId?: string }) {
  return (
    <time
      dateTime={new Date(at).toISOString()}
      title={formatDateTime(at)}
      className={at < now ? 'countdown overdue' : 'countdown'}
      data-testid={testId}
    >
      {formatCountdown(at, now)}
    </time>
  );
}

/**
 * A due date: "in 2 days", "3 days overdue" (red), the exact time on hover; `phrase` makes it
 * read alone in a sentence ("due in 2 days").
 */
export function Due({
  at,
  now,
  testId,
  phrase = false,
}: {
  at: number;
  now: number;
  testId?: string;
  phrase?: boolean;
}) {
  return (
    <time
      dateTime={new Date(at).toISOString()}
      title={formatDateTime(at)}
      className={at < now ? 'countdown overdue' : 'countdown'}
      data-testid={testId}
      data-overdue={at < now ? 'true' : undefined}
    >
      {phrase && at >= now ? 'due ' : ''}
      {formatDue(at, now)}
    </time>
  );
}

export function SeverityBadge({ severity }: { severity: number }) {
  return (
    <span className={`badge badge-sev-${severity}`}>
      S{severity} {severityName(severity)}
    </span>
  );
}

export const severityLabel = (severity: number) => `${severity} — ${severityName(severity)}`;
