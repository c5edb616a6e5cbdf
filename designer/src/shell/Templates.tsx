/** Templates: what exists (published versions, drafts), with the way into the designer and the simulation. */
import { useCallback, useEffect, useState } from 'react';
import { listTemplates } from '../editor/templates-api';
import { StartProjectDialog } from '../workspace/portfolio/StartProjectDialog';
import { formatDateTime } from '../workspace/logic/time';
import { useLoad } from '../workspace/ui/hooks';
import { Empty, Loading, ProblemView } from '../workspace/ui/states';
import { navigate } from './navigation';
import { hrefOf } from './routes';
import { useSession } from './session';

export function Templates() {
  const { api, me } = useSession();
  const list = useLoad(useCallback(() => listTemplates(api), [api]));
  const [starting, setStarting] = useState<string>();
  useEffect(() => {
    document.title = 'Templates · Gatehouse';
  }, []);
  return (
    <section className="page-section" data-testid="templates" aria-labelledby="templates-title">
      <div className="page-head">
        <div>
          <h1 id="templates-title">Templates</h1>
          <p className="muted">Stage-gate lifecycles as data: design, simulate, publish, start.</p>
        </div>
        {me.pmo && (
          <a
            className="btn btn-primary"
            href={hrefOf({ name: 'designer' })}
            data-testid="template-new"
          >
            New template
          </a>
        )}
      </div>
      <div className="card table-card">
        {list.loading && !list.data ? (
          <Loading what="Loading templates" />
        ) : list.error !== undefined && !list.data ? (
          <ProblemView error={list.error} onRetry={list.reload} />
        ) : !list.data?.length ? (
          <Empty title="No templates yet">
            {me.pmo ? 'Design the first one with “New template”.' : null}
          </Empty>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Template</th>
                <th scope="col">Published</th>
                <th scope="col">Updated</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((t) => (
                <tr key={t.key} data-testid="template-row" data-template-key={t.key}>
                  <th scope="row">
                    <a href={hrefOf({ name: 'designer', key: t.key })} className="row-link">
                      {t.name}
                    </a>
                    <div className="muted small mono">{t.key}</div>
                  </th>
                  <td>
                    {t.latestVersion !== undefined ? (
                      `v${t.latestVersion}`
                    ) : (
                      <span className="muted">not yet</span>
                    )}
                    {t.hasDraft && <span className="tag">draft</span>}
                  </td>
                  <td className="nowrap">{formatDateTime(t.updatedAt)}</td>
                  <td className="actions">
                    <a className="btn btn-small" href={hrefOf({ name: 'designer', key: t.key })}>
                      {me.pmo ? 'Edit' : 'View'}
                    </a>
                    {t.latestVersion !== undefined && (
                      <a
                        className="btn btn-small"
                        href={hrefOf({ name: 'simulation', key: t.key, version: t.latestVersion })}
                      >
                        Simulate
                      </a>
                    )}
                    {me.pmo && t.latestVersion !== undefined && (
                      <button
                        type="button"
                        className="btn btn-small btn-primary"
                        onClick={() => setStarting(t.key)}
                      >
                        Start project
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <StartProjectDialog
        open={starting !== undefined}
        onClose={() => setStarting(undefined)}
        onStarted={(id) => navigate({ name: 'project', id, tab: 'overview' })}
        {...(starting !== undefined && { initialTemplate: starting })}
      />
    </section>
  );
}
