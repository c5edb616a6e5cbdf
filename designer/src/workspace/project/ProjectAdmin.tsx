/** PMO actions on a running project: migrate to another published version, retire, cancel. */
import { useCallback, useState } from 'react';
import type { ProjectState } from '../../../../workflows/model';
import { useSession } from '../../shell/session';
import { ReasonForm } from '../actions/SimpleForms';
import { Dialog } from '../ui/controls';
import { submitHandler, useIdempotencyKey, useLoad, useSubmit } from '../ui/hooks';
import { ProblemView, SubmitRow } from '../ui/states';

export function ProjectAdmin({
  state,
  onDone,
}: {
  state: ProjectState;
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
  state: ProjectState;
  onDone: (message: string) => void;
}) {
  const { api } = useSession();
  const templateKey = state.template.key;
  const versions = useLoad(
    useCallback(() => api('listVersions', { params: { key: templateKey } }), [api, templateKey]),
  );
  const others = (versions.data?.items ?? []).filter((v) => v.version !== state.template.version);
  const [version, setVersion] = useState<number>();
  const chosen = version ?? others.at(-1)?.version;
  const [key] = useIdempotencyKey();
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
      />
    </form>
  );
}
