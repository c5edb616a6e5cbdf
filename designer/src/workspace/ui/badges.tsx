/** Status badges and the live countdown: one colour language across the workspace. */
import {
  severityName,
  type DeliveryStanding,
  type ProjectStatus,
} from '../../../../workflows/model';
import { hrefOf } from '../../shell/routes';
import { costText } from '../logic/delivery';
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

/**
 * "Over budget" while the actual cost stands over the budget (the standing the API answers),
 * linking to the benefits tab that shows it; nothing otherwise.
 */
export function OverBudgetBadge({
  projectId,
  delivery,
}: {
  projectId: string;
  delivery: DeliveryStanding | undefined;
}) {
  if (delivery?.cost !== 'over') return null;
  return (
    <a
      href={hrefOf({ name: 'project', id: projectId, tab: 'benefits' })}
      className="badge badge-over-budget"
      data-testid="over-budget"
      title={costText(delivery)}
    >
      Over budget
    </a>
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
      {formatDue(at, now, phrase)}
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
