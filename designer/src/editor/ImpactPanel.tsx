/**
 * Impact (issue 15): what the canvas, published as the next version, would do to every running
 * project of this template. Runs the analysis on the server (each project replayed from its
 * workflow history) and polls the job until every project is classified; lists each project
 * with where it stands, where it would stand and why, opens any of them as a diff on the canvas
 * (its version now against the canvas, marked where it stands and would stand), and migrates
 * the ones picked among those that migrate unchanged (BulkMigration).
 */
import { useState } from 'react';
import type { Api } from '../api/client';
import type { ImpactView } from '../../../server/contract';
import type { ProjectImpact, Template } from '../../../workflows/model';
import { BulkMigration } from './BulkMigration';
import { describeFailure, getVersion } from './templates-api';
import type { Comparison } from './VersionsPanel';

/** Between polls of a running job (each poll analyses one more batch on the server). */
const POLL_MS = 300;

export function ImpactPanel({
  api,
  current,
  onCompare,
}: {
  api: Api;
  current: Template;
  onCompare: (comparison: Comparison) => void;
}) {
  const [view, setView] = useState<ImpactView>();
  const [items, setItems] = useState<ProjectImpact[]>([]);
  const [error, setError] = useState<string>();
  const [running, setRunning] = useState(false);
  /** Picked for migration: only projects that migrate unchanged may be. */
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const clean = items.filter((i) => i.class === 'unchanged').map((i) => i.projectId);
  const names = new Map(items.map((i) => [i.projectId, i.name ?? i.projectId]));

  const toggle = (id: string, on: boolean) =>
    setSelected((was) => {
      const next = new Set(was);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  /** The project's version now against the canvas, as the analysis saw it. */
  const open = async (item: ProjectImpact) => {
    try {
      const now = await getVersion(api, current.key, item.version);
      onCompare({
        a: now.template,
        aLabel: `${item.name ?? item.projectId} now (v${item.version})`,
        b: current,
        bLabel: `under v${view?.job.version ?? '?'}`,
        project: { now: item.current, would: item.wouldStand },
      });
    } catch (e) {
      setError(describeFailure(e));
    }
  };

  const run = async () => {
    setRunning(true);
    setError(undefined);
    setItems([]);
    setSelected(new Set());
    try {
      const key = current.key;
      let answer = await api('analyseImpact', {
        params: { key },
        body: { template: current },
      });
      setView(answer);
      while (answer.job.status === 'running') {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        answer = await api('getImpact', { params: { key, job: answer.job.id } });
        setView(answer);
      }
      // Every project, page by page, once the job is done.
      const all: ProjectImpact[] = [...answer.items];
      for (let cursor = answer.nextCursor; cursor !== undefined;) {
        const page = await api('getImpact', {
          params: { key, job: answer.job.id },
          query: { cursor, limit: 200 },
        });
        all.push(...page.items);
        cursor = page.nextCursor;
      }
      setItems(all);
    } catch (e) {
      setError(describeFailure(e));
    } finally {
      setRunning(false);
    }
  };

  return (
    <section className="gh-versions" aria-label="Impact" data-testid="impact">
      <h2 className="gh-panel-title">Impact on running projects</h2>
      <p className="gh-muted gh-small">
        What publishing the canvas would do to each running project of {current.key}, replayed from
        its history. Nothing is changed.
      </p>
      <button type="button" data-testid="impact-run" disabled={running} onClick={() => void run()}>
        {running ? 'Analysing…' : 'Analyse impact'}
      </button>
      {error && <p className="gh-field-errors">{error}</p>}
      {view && (
        <p data-testid="impact-summary" data-status={view.job.status}>
          {view.job.done} of {view.job.total} analysed (as v{view.job.version}):{' '}
          <span data-testid="impact-count-unchanged">{view.summary.unchanged}</span> unchanged,{' '}
          <span data-testid="impact-count-differs">{view.summary.differs}</span> differ,{' '}
          <span data-testid="impact-count-blocked">{view.summary.blocked}</span> blocked
        </p>
      )}
      {view?.job.status === 'done' && items.length > 0 && (
        <div className="gh-impact-migrate">
          <button
            type="button"
            data-testid="impact-select-clean"
            disabled={clean.length === 0}
            onClick={() => setSelected(new Set(clean))}
          >
            Select all that migrate unchanged ({clean.length})
          </button>
          <BulkMigration
            api={api}
            templateKey={current.key}
            impactJob={view.job.id}
            selected={clean.filter((id) => selected.has(id))}
            names={names}
          />
        </div>
      )}
      <ol className="gh-version-list" data-testid="impact-list">
        {items.map((item) => (
          <li
            key={item.projectId}
            data-testid="impact-project"
            data-project-id={item.projectId}
            data-class={item.class}
          >
            <div>
              {item.class === 'unchanged' && (
                <input
                  type="checkbox"
                  data-testid="impact-select"
                  aria-label={`Migrate ${item.name ?? item.projectId}`}
                  checked={selected.has(item.projectId)}
                  onChange={(e) => toggle(item.projectId, e.target.checked)}
                />
              )}{' '}
              <strong>{item.class}</strong>{' '}
              <a href={`#/projects/${item.projectId}`}>{item.name ?? item.projectId}</a>{' '}
              {item.version > 0 && (
                <button type="button" data-testid="impact-open" onClick={() => void open(item)}>
                  Show on canvas
                </button>
              )}
              <div className="gh-muted gh-small">
                v{item.version} · {item.current.join(', ') || '—'}
                {item.wouldStand.join() !== item.current.join() &&
                  ` → ${item.wouldStand.join(', ')}`}
              </div>
              {item.differences.length > 0 && (
                <ul className="gh-small">
                  {item.differences.map((d, i) => (
                    <li key={i} data-kind={d.kind}>
                      {d.message}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
