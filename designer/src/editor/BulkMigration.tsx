/**
 * "Migrate selected" (issue 15): the projects picked in the Impact panel moved to the analysed
 * version in one job, whose progress is polled until nothing is pending; the projects that
 * refused are listed with why. The version must be published first (the server says so).
 */
import { useState } from 'react';
import type { Api } from '../api/client';
import type { MigrationView } from '../../../server/contract';
import { describeFailure } from './templates-api';

/** Between polls of a running migration. */
const POLL_MS = 400;

export function BulkMigration({
  api,
  templateKey,
  impactJob,
  selected,
}: {
  api: Api;
  templateKey: string;
  impactJob: string;
  selected: string[];
}) {
  const [view, setView] = useState<MigrationView>();
  const [failures, setFailures] = useState<MigrationView['items']>([]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const migrate = async () => {
    setBusy(true);
    setError(undefined);
    setFailures([]);
    try {
      const params = { key: templateKey };
      let answer = await api('startMigration', {
        params,
        body: { impactJob, projectIds: selected },
      });
      setView(answer);
      while (answer.job.status === 'running') {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        answer = await api('getMigration', { params: { ...params, job: answer.job.id } });
        setView(answer);
      }
      if (answer.job.failed > 0) {
        const failed = await api('getMigration', {
          params: { ...params, job: answer.job.id },
          query: { status: 'failed', limit: 200 },
        });
        setFailures(failed.items);
      }
    } catch (e) {
      setError(describeFailure(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="migration">
      <button
        type="button"
        data-testid="impact-migrate"
        disabled={busy || selected.length === 0}
        onClick={() => void migrate()}
      >
        {busy ? 'Migrating…' : `Migrate selected (${selected.length})`}
      </button>
      {error && (
        <p className="gh-field-errors" data-testid="migration-error">
          {error}
        </p>
      )}
      {view && (
        <p data-testid="migration-progress" data-status={view.job.status}>
          <progress max={view.job.total} value={view.job.total - view.job.pending} /> to v
          {view.job.version}: <span data-testid="migration-migrated">{view.job.migrated}</span>{' '}
          migrated, <span data-testid="migration-failed">{view.job.failed}</span> failed,{' '}
          {view.job.pending} pending
        </p>
      )}
      {failures.length > 0 && (
        <ul className="gh-small" data-testid="migration-failures">
          {failures.map((f) => (
            <li key={f.projectId} data-project-id={f.projectId} data-code={f.code}>
              {f.projectId}: {f.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
