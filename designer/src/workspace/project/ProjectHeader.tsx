/** The project's title bar: status, pinned template, who started it, the live-update state. */
import { useSession } from '../../shell/session';
import { hrefOf } from '../../shell/routes';
import { formatDateTime } from '../logic/time';
import type { ProjectDetail } from '../types';
import { OverBudgetBadge, ProjectStatusBadge } from '../ui/badges';
import { ProjectAdmin } from './ProjectAdmin';
import type { StreamStatus } from './useEventStream';
import { useNameOf } from '../people';

const STREAM_TEXT: Record<StreamStatus, string> = {
  off: 'Not live',
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  ended: 'Closed',
  failed: 'Live updates unavailable',
};

export function ProjectHeader({
  project,
  stream,
  onDone,
}: {
  project: ProjectDetail;
  stream: StreamStatus;
  onDone: (message: string) => void;
}) {
  const { me } = useSession();
  const nameOf = useNameOf();
  const open = project.status === 'active' || project.status === 'on_hold';
  const shown: StreamStatus = open ? stream : 'ended';
  return (
    <div className="page-head project-head">
      <div>
        <a href={hrefOf({ name: 'portfolio' })} className="back-link">
          ← Portfolio
        </a>
        <h1>
          {project.name} <ProjectStatusBadge status={project.status} />{' '}
          <OverBudgetBadge projectId={project.id} delivery={project.delivery} />
        </h1>
        <p className="muted small">
          <span className="mono">
            {project.template.key}@{project.template.version}
          </span>{' '}
          · started by {nameOf(project.startedBy)} on {formatDateTime(project.startedAt)}
          {project.endedAt !== undefined && ` · ended ${formatDateTime(project.endedAt)}`}
        </p>
      </div>
      <div className="head-actions">
        <span
          className={`live live-${shown}`}
          data-testid="stream-status"
          data-state={shown}
          role="status"
        >
          <span className="live-dot" aria-hidden="true" />
          {STREAM_TEXT[shown]}
        </span>
        {project.links?.temporalUi && (
          <a
            className="btn"
            href={project.links.temporalUi}
            target="_blank"
            rel="noreferrer noopener"
            data-testid="temporal-link"
          >
            Temporal UI ↗
          </a>
        )}
        {open && (me.pmo || me.admin) && <ProjectAdmin state={project} onDone={onDone} />}
      </div>
    </div>
  );
}
