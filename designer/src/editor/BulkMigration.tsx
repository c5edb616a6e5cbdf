/**
 * "Migrate selected" (issue 15): the projects picked in the Impact panel moved to the analysed
 * version in one job, watched until nothing is pending (useMigrationJob). While it runs, a
 * project being retried says so with its attempt and last error; then the projects that
 * failed — refused, or given up after their attempts — are listed with why, and how many of
 * the migrated moved after the job had given them up (their Update landed late), how many are
 * not yet final and what that means, and when a job that may still change was last looked at.
 * The version must be published first (the server says so).
 */
import { useMutation } from '@tanstack/react-query';
import type { Api } from '../api/client';
import { describeFailure } from './templates-api';
import { LATE_POLL_MAX_MS } from '../logic/migration-watch';
import { useMigrationJob } from './useMigrationJob';

/**
 * What "not yet final" means (README, "Migrating many projects at once"): the project's record
 * write settled the row, and that write's workflow task may still fail and be superseded.
 */
const NOT_FINAL =
  'Each of these projects has moved and recorded it, but the step of its workflow that ' +
  'recorded the move may still fail and be run again, which can undo the move: the project is ' +
  'then listed as failed (or, while the job runs, tried again). It becomes final once the ' +
  'project records anything more (an action on it, say), which for a project nobody works on ' +
  'may take days.';

export function BulkMigration({
  api,
  templateKey,
  impactJob,
  selected,
  names,
}: {
  api: Api;
  templateKey: string;
  impactJob: string;
  selected: string[];
  /** Project names by id, as the analysis listed them. */
  names: ReadonlyMap<string, string>;
}) {
  const start = useMutation({
    mutationFn: (projectIds: string[]) =>
      api('startMigration', { params: { key: templateKey }, body: { impactJob, projectIds } }),
  });
  const { view, retrying, failures, checkedAt, watching, error } = useMigrationJob(
    api,
    templateKey,
    start.data,
  );
  const busy = start.isPending || view?.job.status === 'running';
  const failure = start.error ?? error;
  const nameOf = (id: string) => names.get(id) ?? id;

  return (
    <div data-testid="migration">
      <button
        type="button"
        data-testid="impact-migrate"
        disabled={busy || selected.length === 0}
        onClick={() => start.mutate(selected)}
      >
        {busy ? 'Migrating…' : `Migrate selected (${selected.length})`}
      </button>
      {failure != null && (
        <p className="gh-field-errors" data-testid="migration-error">
          {describeFailure(failure)}
        </p>
      )}
      {view && (
        <p data-testid="migration-progress" data-status={view.job.status}>
          <progress max={view.job.total} value={view.job.total - view.job.pending} /> to v
          {view.job.version}: <span data-testid="migration-migrated">{view.job.migrated}</span>{' '}
          migrated
          {view.job.settledLate > 0 && (
            <span data-testid="migration-late" data-count={view.job.settledLate}>
              {' '}
              ({view.job.settledLate} after the job had given{' '}
              {view.job.settledLate === 1 ? 'it' : 'them'} up)
            </span>
          )}
          {view.job.provisional > 0 && (
            <span
              data-testid="migration-provisional"
              data-count={view.job.provisional}
              title={NOT_FINAL}
            >
              {' '}
              ({view.job.provisional} not yet final)
            </span>
          )}
          , <span data-testid="migration-failed">{view.job.failed}</span> failed, {view.job.pending}{' '}
          pending
        </p>
      )}
      {view?.job.status === 'done' && view.job.provisional > 0 && (
        <p className="gh-small" data-testid="migration-provisional-note">
          Not yet final ({view.job.provisional}): {NOT_FINAL}
        </p>
      )}
      {watching && checkedAt !== undefined && (
        <p className="gh-small" data-testid="migration-checked">
          Last checked at{' '}
          <time dateTime={new Date(checkedAt).toISOString()}>
            {new Date(checkedAt).toLocaleTimeString()}
          </time>
          ; checked again less often while nothing changes (at most every{' '}
          {LATE_POLL_MAX_MS / 60_000} minutes), and when you come back to this tab.
        </p>
      )}
      {retrying.length > 0 && (
        <ul className="gh-small gh-migration-items" data-testid="migration-retrying">
          {retrying.map((item) => (
            <li
              key={item.projectId}
              data-testid="migration-retry"
              data-project-id={item.projectId}
              data-attempts={item.attempts}
            >
              <strong>{nameOf(item.projectId)}</strong>: being retried, attempt {item.attempts};
              last error: {item.lastError ?? 'none yet'}
            </li>
          ))}
        </ul>
      )}
      {failures.length > 0 && (
        <ul className="gh-small gh-migration-items" data-testid="migration-failures">
          {failures.map((f) => (
            <li key={f.projectId} data-project-id={f.projectId} data-code={f.code}>
              <strong>{nameOf(f.projectId)}</strong>: failed ({f.code}) — {f.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
