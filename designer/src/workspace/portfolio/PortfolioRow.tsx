/** One project in the portfolio table; its live details load when the row scrolls into view. */
import { ApiError } from '../../api/client';
import { hrefOf } from '../../shell/routes';
import { projectProgress } from '../logic/progress';
import type { ProjectSummary, Template } from '../types';
import { Countdown, OverBudgetBadge, ProjectStatusBadge } from '../ui/badges';
import type { DetailEntry } from './useDetails';
import { useOnVisible } from './useDetails';

export function PortfolioRow({
  project,
  template,
  detail,
  onVisible,
  now,
}: {
  project: ProjectSummary;
  template: Template | undefined;
  detail: DetailEntry | undefined;
  onVisible: () => void;
  now: number;
}) {
  const open = project.status === 'active' || project.status === 'on_hold';
  const ref = useOnVisible<HTMLTableRowElement>(onVisible, open);
  const state = detail?.state === 'ok' ? detail.detail : undefined;
  const progress = projectProgress(state ?? { ...project, nodes: {}, issues: [] }, template, now);
  const href = hrefOf({ name: 'project', id: project.id, tab: 'overview' });
  const forbidden =
    detail?.state === 'error' &&
    detail.error instanceof ApiError &&
    detail.error.problem.status === 403;
  const unknown = !open ? '' : detail?.state === 'loading' || !detail ? '…' : '—';
  return (
    <tr
      ref={ref}
      data-testid="portfolio-row"
      data-project-id={project.id}
      data-status={project.status}
    >
      <th scope="row">
        <a href={href} className="row-link">
          {project.name}
        </a>
      </th>
      <td>
        <span className="mono">
          {project.template.key}@{project.template.version}
        </span>
      </td>
      <td>
        <ProjectStatusBadge status={project.status} />{' '}
        <OverBudgetBadge projectId={project.id} delivery={state?.delivery} />
      </td>
      <td data-testid="portfolio-current">
        {progress.current.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          progress.current.map((c) => (
            <span key={c.id} className="tag">
              {c.name}
            </span>
          ))
        )}
      </td>
      <td
        className="num"
        title={forbidden ? 'Details are visible to participants and the PMO' : undefined}
      >
        {progress.daysInNode !== undefined ? (
          <span data-testid="portfolio-days">
            {progress.daysInNode === 0 ? 'today' : `${progress.daysInNode} d`}
          </span>
        ) : (
          <span className="muted">{unknown}</span>
        )}
      </td>
      <td data-testid="portfolio-hypercare">
        {progress.hypercare ? (
          progress.hypercare.phase === 'running' ? (
            <>
              ends <Countdown at={progress.hypercare.expiresAt} now={now} />
            </>
          ) : (
            <span className="badge badge-on_hold">awaiting exit</span>
          )
        ) : (
          <span className="muted">{state ? '—' : unknown}</span>
        )}
      </td>
      <td>
        <a href={href} className="btn btn-small" aria-label={`Open ${project.name}`}>
          Open
        </a>
      </td>
    </tr>
  );
}
