/**
 * The PMO's portfolio: every project with filters, paging and where each stands, from the list
 * alone (each item's `progress`, kept by the record write): no request per row.
 */
import { useCallback, useEffect, useState } from 'react';
import {
  PORTFOLIO_ATTENTION,
  PROJECT_STATUSES,
  type PortfolioAttention,
  type ProjectStatus,
} from '../../../../workflows/model';
import { listTemplates } from '../../editor/templates-api';
import { useSession } from '../../shell/session';
import { navigate } from '../../shell/navigation';
import type { PortfolioView } from '../../shell/routes';
import { useLoad, useNow } from '../ui/hooks';
import { usePaged } from '../ui/paged';
import { Empty, Loading, ProblemView, StaleNotice } from '../ui/states';
import { FirstRun, usePracticeProject } from './FirstRun';
import { PortfolioRow } from './PortfolioRow';
import { StageChips } from './StageChips';
import { StartProjectDialog } from './StartProjectDialog';

/** How often the loaded pages are fetched again (one request per page). */
const LIST_REFRESH_MS = 10_000;

const STATUS_LABELS: Record<ProjectStatus, string> = {
  active: 'Active',
  on_hold: 'On hold',
  completed: 'Completed',
  killed: 'Killed',
  cancelled: 'Cancelled',
  terminated: 'Ended outside Gatehouse',
};

const ATTENTION_LABELS: Record<PortfolioAttention, string> = {
  hypercare: 'Hypercare ends within 7 days or awaits exit',
  over_budget: 'Over budget',
};

/** How long typing pauses before the list follows the search text. */
const TYPING_PAUSE_MS = 250;

export function Portfolio({ view }: { view: PortfolioView }) {
  const { status, template, q, stage, attention, sort } = view;
  const { api, me, demoUsers } = useSession();
  const practice = usePracticeProject();
  const now = useNow(5_000);
  const [starting, setStarting] = useState(false);
  const templates = useLoad(useCallback(() => listTemplates(api), [api]));
  const list = usePaged(
    useCallback(
      (cursor: string | undefined) =>
        api('listProjects', {
          query: { status, template, q, stage, attention, sort, cursor, limit: 25 },
        }),
      [api, status, template, q, stage, attention, sort],
    ),
  );
  useEffect(() => {
    document.title = 'Portfolio · Gatehouse';
  }, []);
  // Where projects stand changes by itself (timers, other people): look again now and then.
  const { refresh } = list;
  useEffect(() => {
    const timer = setInterval(refresh, LIST_REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  // The filters live in the address: a filtered view can be reloaded and shared. Each one
  // chosen is a step of the history (a search once typing pauses): Back returns to the list
  // as it was filtered.
  const setFilter = (change: PortfolioView) => {
    const next = { ...view, ...change };
    // A stage is a node of its template: another template lets it go.
    if (next.template !== template && !('stage' in change)) delete next.stage;
    navigate({
      name: 'portfolio',
      ...(next.status && { status: next.status }),
      ...(next.template && { template: next.template }),
      ...(next.q && { q: next.q }),
      ...(next.template && next.stage && { stage: next.stage }),
      ...(next.attention && { attention: next.attention }),
      ...(next.sort === 'stage_age' && { sort: next.sort }),
    });
  };
  const [search, setSearch] = useState(q ?? '');
  // Back, forward or a followed link: the box shows the address's search.
  useEffect(() => setSearch(q ?? ''), [q]);
  const typed = search.trim();
  useEffect(() => {
    if (typed === (q ?? '')) return;
    const timer = setTimeout(() => setFilter({ q: typed }), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
    // setFilter is remade each render; the typed text and the address's search decide.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [typed, q]);
  const filtered = Boolean(status || template || q || stage || attention);
  const exportQuery = new URLSearchParams({
    ...(status && { status }),
    ...(template && { template }),
    ...(q && { q }),
    ...(template && stage && { stage }),
    ...(attention && { attention }),
    ...(sort && { sort }),
  });

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
      {me.pmo && (
        <StageChips
          {...(template && { template })}
          {...(stage && { stage })}
          onPick={(key, node) => setFilter({ template: key, stage: node })}
        />
      )}
      <div className="filters" role="group" aria-label="Filters">
        <label>
          Name
          <input
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="Find a project"
            maxLength={200}
            data-testid="portfolio-search"
          />
        </label>
        <label>
          Status
          <select
            value={status ?? ''}
            onChange={(e) => {
              setFilter({ status: PROJECT_STATUSES.find((s) => s === e.target.value) });
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
            onChange={(e) => setFilter({ template: e.target.value })}
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
        <label>
          Needs attention
          <select
            value={attention ?? ''}
            onChange={(e) => {
              setFilter({ attention: PORTFOLIO_ATTENTION.find((a) => a === e.target.value) });
            }}
            data-testid="portfolio-filter-attention"
          >
            <option value="">Any project</option>
            {PORTFOLIO_ATTENTION.map((a) => (
              <option key={a} value={a}>
                {ATTENTION_LABELS[a]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Order
          <select
            value={sort ?? 'newest'}
            onChange={(e) => {
              setFilter({ sort: e.target.value === 'stage_age' ? 'stage_age' : undefined });
            }}
            data-testid="portfolio-sort"
          >
            <option value="newest">Newest first</option>
            <option value="stage_age">Longest at their stage first</option>
          </select>
        </label>
        <button type="button" className="btn btn-small" onClick={refresh}>
          Refresh
        </button>
        {me.pmo && (
          <a
            className="btn btn-small"
            href={`/api/portfolio/export${exportQuery.size > 0 ? `?${exportQuery}` : ''}`}
            download
            data-testid="portfolio-export"
            title="Every project these filters list, as CSV"
          >
            Export CSV
          </a>
        )}
      </div>
      <div className="card table-card">
        {list.stale !== undefined && list.items.length > 0 && (
          <StaleNotice error={list.stale} onRetry={list.refresh} />
        )}
        {list.loading && list.items.length === 0 ? (
          <Loading what="Loading projects" />
        ) : list.error !== undefined && list.items.length === 0 ? (
          <ProblemView error={list.error} onRetry={list.reload} />
        ) : list.items.length === 0 ? (
          <Empty title={filtered ? 'No project matches these filters' : 'No projects yet'}>
            {me.pmo && !filtered ? 'Start the first one with “Start project”.' : null}
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
                <PortfolioRow key={p.id} project={p} now={now} />
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
