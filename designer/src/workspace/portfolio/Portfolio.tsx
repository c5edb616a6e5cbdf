/** The PMO's portfolio: every project with filters, paging and live progress per row. */
import { useCallback, useEffect, useState } from 'react';
import { PROJECT_STATUSES, type ProjectStatus } from '../../../../workflows/model';
import { listTemplates } from '../../editor/templates-api';
import { useSession } from '../../shell/session';
import { navigate } from '../../shell/navigation';
import { useTemplateVersions } from '../cache';
import { useLoad, useNow } from '../ui/hooks';
import { usePaged } from '../ui/paged';
import { Empty, Loading, ProblemView } from '../ui/states';
import { FirstRun, usePracticeProject } from './FirstRun';
import { PortfolioRow } from './PortfolioRow';
import { StartProjectDialog } from './StartProjectDialog';
import { useProjectDetails } from './useDetails';

/** How often the rows on screen fetch their project's state again. */
const DETAILS_REFRESH_MS = 10_000;

const STATUS_LABELS: Record<ProjectStatus, string> = {
  active: 'Active',
  on_hold: 'On hold',
  completed: 'Completed',
  killed: 'Killed',
  cancelled: 'Cancelled',
  terminated: 'Ended outside Gatehouse',
};

export function Portfolio({ status, template }: { status?: ProjectStatus; template?: string }) {
  const { api, me, demoUsers } = useSession();
  const practice = usePracticeProject();
  const now = useNow(5_000);
  const [starting, setStarting] = useState(false);
  const templates = useLoad(useCallback(() => listTemplates(api), [api]));
  const list = usePaged(
    useCallback(
      (cursor: string | undefined) =>
        api('listProjects', {
          query: { status, template, cursor, limit: 25 },
        }),
      [api, status, template],
    ),
  );
  const details = useProjectDetails(api);
  // The templates pinned by the listed projects, to name their nodes.
  const pinned = useTemplateVersions(
    api,
    list.items.map((p) => p.template),
  );
  useEffect(() => {
    document.title = 'Portfolio · Gatehouse';
  }, []);
  // Where projects stand changes by itself (timers, other people): look again now and then.
  const { refresh } = details;
  useEffect(() => {
    const timer = setInterval(refresh, DETAILS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  // A filter chosen is a step of the history: Back returns to the list as it was filtered.
  const setFilter = (next: { status?: ProjectStatus; template?: string }) =>
    navigate({ name: 'portfolio', ...next });

  return (
    <section className="page-section" data-testid="portfolio" aria-labelledby="portfolio-title">
      <div className="page-head">
        <div>
          <h1 id="portfolio-title">Portfolio</h1>
          <p className="muted">Every project, where it stands and how long it has been there.</p>
        </div>
        {me.pmo && (
          <div className="page-actions">
            {demoUsers.length > 0 && (
              <button
                type="button"
                className="btn"
                disabled={practice.isPending}
                onClick={() => practice.mutate()}
                data-testid="practice-project-button"
                title="The practice template (every week lasts a minute) with the demo users"
              >
                {practice.isPending ? 'Starting…' : 'Start a practice project'}
              </button>
            )}
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => setStarting(true)}
              data-testid="start-project-button"
            >
              Start project
            </button>
          </div>
        )}
      </div>
      {practice.error !== null && <ProblemView error={practice.error} />}
      {me.pmo && <FirstRun onStartProject={() => setStarting(true)} />}
      <div className="filters" role="group" aria-label="Filters">
        <label>
          Status
          <select
            value={status ?? ''}
            onChange={(e) => {
              const value = PROJECT_STATUSES.find((s) => s === e.target.value);
              setFilter({ ...(value && { status: value }), ...(template && { template }) });
            }}
            data-testid="portfolio-filter-status"
          >
            <option value="">All statuses</option>
            {PROJECT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Template
          <select
            value={template ?? ''}
            onChange={(e) =>
              setFilter({
                ...(status && { status }),
                ...(e.target.value && { template: e.target.value }),
              })
            }
            data-testid="portfolio-filter-template"
          >
            <option value="">All templates</option>
            {(templates.data ?? []).map((t) => (
              <option key={t.key} value={t.key}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            details.forget();
            list.reload();
          }}
        >
          Refresh
        </button>
      </div>
      <div className="card table-card">
        {list.loading && list.items.length === 0 ? (
          <Loading what="Loading projects" />
        ) : list.error !== undefined && list.items.length === 0 ? (
          <ProblemView error={list.error} onRetry={list.reload} />
        ) : list.items.length === 0 ? (
          <Empty
            title={status || template ? 'No project matches these filters' : 'No projects yet'}
          >
            {me.pmo && !status && !template ? 'Start the first one with “Start project”.' : null}
          </Empty>
        ) : (
          <table className="table" data-testid="portfolio-table">
            <thead>
              <tr>
                <th scope="col">Project</th>
                <th scope="col">Template</th>
                <th scope="col">Status</th>
                <th scope="col">Current</th>
                <th scope="col" className="num">
                  In node
                </th>
                <th scope="col">Hypercare</th>
                <th scope="col">
                  <span className="sr-only">Open</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((p) => (
                <PortfolioRow
                  key={p.id}
                  project={p}
                  template={pinned[`${p.template.key}@${p.template.version}`]}
                  detail={details.entries[p.id]}
                  onVisible={() => details.request(p.id)}
                  now={now}
                />
              ))}
            </tbody>
          </table>
        )}
        {list.error !== undefined && list.items.length > 0 && <ProblemView error={list.error} />}
        {list.hasMore && (
          <div className="table-foot">
            <button
              type="button"
              className="btn"
              onClick={list.loadMore}
              disabled={list.loadingMore}
              data-testid="portfolio-load-more"
            >
              {list.loadingMore ? 'Loading…' : 'Load more'}
            </button>
          </div>
        )}
      </div>
      <StartProjectDialog
        open={starting}
        onClose={() => setStarting(false)}
        onStarted={(id) => navigate({ name: 'project', id, tab: 'overview' })}
      />
    </section>
  );
}
