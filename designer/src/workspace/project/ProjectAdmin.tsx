/**
 * PMO actions on a running project: reassign a participant's part, dry run or migrate to
 * another published version, retire, cancel.
 */
import { useCallback, useState } from 'react';
import type { ProjectImpact } from '../../../../workflows/model';
import type { ProjectStateView } from '../types';
import { listVersions } from '../../editor/templates-api';
import { useSession } from '../../shell/session';
import { ReasonForm } from '../actions/SimpleForms';
import { Dialog } from '../ui/controls';
import { submitHandler, useIdempotencyKey, useLoad, useSubmit } from '../ui/hooks';
import { ProblemView, SubmitRow } from '../ui/states';
import { ReassignForm } from './ReassignForm';

export function ProjectAdmin({
  state,
  onDone,
}: {
  state: ProjectStateView;
  onDone: (message: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const done = (message: string) => {
    setOpen(false);
    onDone(message);
  };
  return (
    <>
      <button
        type="button"
        className="btn"
        onClick={() => setOpen(true)}
        data-testid="project-manage"
      >
        Manage
      </button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={`Manage “${state.name}”`}
        testId="project-manage-dialog"
      >
        <section className="block">
          <h3>Reassign a participant</h3>
          <p className="muted small">
            Gives one person’s part in a role to another active user, for good.
          </p>
          <ReassignForm state={state} onDone={done} />
        </section>
        <section className="block">
          <h3>Move to another version</h3>
          <MigrateForm state={state} onDone={done} />
        </section>
        <section className="block">
          <h3>Retire</h3>
          <p className="muted small">Ends KPI monitoring and completes the project.</p>
          <ReasonForm projectId={state.id} action="retire" onDone={done} />
        </section>
        <section className="block danger-zone">
          <h3>Cancel the project</h3>
          <ReasonForm projectId={state.id} action="cancel" onDone={done} />
        </section>
      </Dialog>
    </>
  );
}

function MigrateForm({
  state,
  onDone,
}: {
  state: ProjectStateView;
  onDone: (message: string) => void;
}) {
  const { api } = useSession();
  const templateKey = state.template.key;
  const versions = useLoad(useCallback(() => listVersions(api, templateKey), [api, templateKey]));
  const others = (versions.data ?? []).filter((v) => v.version !== state.template.version);
  const [version, setVersion] = useState<number>();
  const chosen = version ?? others.at(-1)?.version;
  const [key] = useIdempotencyKey();
  const dryRun = useDryRun(state.id, chosen);
  const submit = useSubmit(() =>
    api('migrate', {
      params: { id: state.id },
      body: { version: chosen ?? 0, idempotencyKey: key },
    }),
  );
  const onSubmit = submitHandler(async () => {
    if (await submit.run()) onDone(`Moved to version ${chosen}.`);
  });
  if (versions.error !== undefined) return <ProblemView error={versions.error} />;
  if (others.length === 0)
    return <p className="muted">No other published version of this template.</p>;
  return (
    <form className="form form-inline" onSubmit={onSubmit} data-testid="migrate-form">
      <div className="field">
        <label htmlFor="migrate-version">Version (now v{state.template.version})</label>
        <select
          id="migrate-version"
          value={chosen}
          onChange={(e) => setVersion(Number(e.target.value))}
        >
          {others.map((v) => (
            <option key={v.version} value={v.version}>
              v{v.version}
            </option>
          ))}
        </select>
      </div>
      <SubmitRow
        label="Migrate"
        pending={submit.pending}
        disabled={chosen === undefined}
        error={submit.error}
      >
        {dryRun.button}
      </SubmitRow>
      {dryRun.result && <div className="full-row">{dryRun.result}</div>}
    </form>
  );
}

/** A dry run's answer: the impact for the version asked, or why it could not be had. */
type DryRun = { impact: ProjectImpact; version: number } | { error: unknown };

/**
 * What moving to `version` would do, asked of the project's own history without changing it:
 * a button for the form's action row and, once answered, the result below the form.
 */
function useDryRun(projectId: string, version: number | undefined) {
  const { api } = useSession();
  const [answer, setAnswer] = useState<DryRun>();
  const [pending, setPending] = useState(false);
  const run = async () => {
    if (version === undefined) return;
    setPending(true);
    try {
      const impact = await api('dryRunProject', { params: { id: projectId }, body: { version } });
      setAnswer({ impact, version });
    } catch (error) {
      setAnswer({ error });
    } finally {
      setPending(false);
    }
  };
  const button = (
    <button
      type="button"
      className="btn"
      disabled={version === undefined || pending}
      onClick={() => void run()}
      data-testid="dry-run"
    >
      {pending ? 'Checking…' : 'Dry run'}
    </button>
  );
  const result =
    answer === undefined ? null : 'error' in answer ? (
      <ProblemView error={answer.error} />
    ) : (
      <DryRunResult impact={answer.impact} version={answer.version} />
    );
  return { button, result };
}

const CLASS_TEXT = {
  unchanged: 'would migrate unchanged',
  differs: 'would migrate, with differences',
  blocked: 'cannot migrate',
} as const;

function DryRunResult({ impact, version }: { impact: ProjectImpact; version: number }) {
  const here = impact.current.join(', ');
  const there = impact.wouldStand.join(', ');
  return (
    <div className="dry-run" data-testid="dry-run-result" data-class={impact.class}>
      <p>
        <strong>
          v{impact.version} → v{version}: {CLASS_TEXT[impact.class]}
        </strong>
        {here !== there && (
          <span className="muted small">
            {' '}
            · stands in {here}, would stand in {there}
          </span>
        )}
      </p>
      {impact.differences.length > 0 && (
        <ul className="small">
          {impact.differences.map((d, i) => (
            <li key={i} data-testid="dry-run-difference" data-kind={d.kind}>
              {d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
