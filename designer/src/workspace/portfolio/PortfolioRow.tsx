/** One project in the portfolio table, from the list's answer alone (its `progress`). */
import { hrefOf } from '../../shell/routes';
import { progressShown } from '../logic/progress';
import type { ProjectSummary } from '../types';
import { Countdown, OverBudgetBadge, ProjectStatusBadge } from '../ui/badges';

export function PortfolioRow({ project, now }: { project: ProjectSummary; now: number }) {
  const open = project.status === 'active' || project.status === 'on_hold';
  const progress = project.progress && progressShown(project.progress, now);
  const href = hrefOf({ name: 'project', id: project.id, tab: 'overview' });
  // Without a summary (a stored state this build cannot read) the row says nothing it knows not.
  const unknown = open && !progress ? '—' : '';
  return (
    <tr data-testid="portfolio-row" data-project-id={project.id} data-status={project.status}>
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
        <OverBudgetBadge projectId={project.id} delivery={project.progress?.cost} />
      </td>
      <td data-testid="portfolio-current">
        {!progress || progress.current.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          progress.current.map((c) => (
            <span key={c.id} className="tag">
              {c.name}
            </span>
          ))
        )}
      </td>
      <td className="num">
        {progress?.inNode !== undefined ? (
          <span data-testid="portfolio-days">{progress.inNode}</span>
        ) : (
          <span className="muted">{unknown}</span>
        )}
      </td>
      <td data-testid="portfolio-hypercare">
        {progress?.hypercare ? (
          progress.hypercare.phase === 'running' ? (
            <>
              ends <Countdown at={progress.hypercare.expiresAt} now={now} />
            </>
          ) : (
            <span className="badge badge-on_hold">awaiting exit</span>
          )
        ) : (
          <span className="muted">{progress ? '—' : unknown}</span>
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
