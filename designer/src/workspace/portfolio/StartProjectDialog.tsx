/**
 * "Start project" (PMO): name, template, pinned version and the participants per role. The
 * roles and how many users each needs come from the chosen version; a 422 from the API is
 * shown next to the role (or field) it concerns.
 */
import { useCallback, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import { listTemplates, listVersions } from '../../editor/templates-api';
import { useSession } from '../../shell/session';
import { useTemplateVersion } from '../cache';
import { participantsBody, roleNeeds } from '../logic/participants';
import { errorsByKey, errorsOutside } from '../logic/problems';
import { Dialog } from '../ui/controls';
import { useLoad, useSubmit } from '../ui/hooks';
import { DisabledWhy, FieldErrors, Loading, ProblemView, whyProps } from '../ui/states';
import { ParticipantsFields } from './ParticipantsFields';

export function StartProjectDialog({
  open,
  onClose,
  onStarted,
  initialTemplate,
}: {
  open: boolean;
  onClose: () => void;
  onStarted: (projectId: string) => void;
  initialTemplate?: string;
}) {
  return (
    <Dialog open={open} onClose={onClose} title="Start a project" testId="start-dialog" wide>
      <StartForm onCancel={onClose} onStarted={onStarted} initialTemplate={initialTemplate} />
    </Dialog>
  );
}

function StartForm({
  onCancel,
  onStarted,
  initialTemplate,
}: {
  onCancel: () => void;
  onStarted: (projectId: string) => void;
  initialTemplate: string | undefined;
}) {
  const { api } = useSession();
  const [name, setName] = useState('');
  const [picked, setPicked] = useState(initialTemplate ?? '');
  const [version, setVersion] = useState<number>();
  const [participants, setParticipants] = useState<Record<string, string[]>>({});
  const templates = useLoad(useCallback(() => listTemplates(api), [api]));
  const published = (templates.data ?? []).filter((t) => t.latestVersion !== undefined);
  // With one published template and none picked, that one is the choice.
  const only = published.length === 1 ? published[0]!.key : '';
  const templateKey = picked !== '' ? picked : only;
  const versions = useLoad(
    useCallback(
      () => (templateKey ? listVersions(api, templateKey) : Promise.resolve([])),
      [api, templateKey],
    ),
  );
  const latest = versions.data?.at(-1)?.version;
  const chosen = version ?? latest;
  const pinned = useTemplateVersion(api, templateKey || undefined, chosen);
  const submit = useSubmit(() =>
    api('startProject', {
      body: {
        name: name.trim(),
        template: templateKey,
        ...(chosen !== undefined && { version: chosen }),
        participants: participantsBody(participants),
      },
    }).then((p) => onStarted(p.id)),
  );
  const errors = submit.error instanceof ApiError ? submit.error.problem.errors : [];
  const at = (field: string) => errorsByKey(errors, ['body'])[field];
  const byRole = errorsByKey(errors, ['body', 'participants']);
  const general = errorsOutside(errors, [
    ['body', 'participants'],
    ['body', 'name'],
    ['body', 'template'],
    ['body', 'version'],
  ]);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit.run();
  };
  const why = submit.pending
    ? undefined
    : name.trim() === ''
      ? !templateKey
        ? 'Name the project and choose a template first.'
        : 'Name the project first.'
      : !templateKey
        ? 'Choose a template first.'
        : undefined;

  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="start-form">
      <div className="field">
        <label htmlFor="start-name">Project name</label>
        <input
          id="start-name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={at('name') ? true : undefined}
          data-testid="start-name"
        />
        <FieldErrors messages={at('name')} />
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor="start-template">Template</label>
          <select
            id="start-template"
            value={templateKey}
            onChange={(e) => {
              setPicked(e.target.value);
              setVersion(undefined);
            }}
            data-testid="start-template"
          >
            <option value="">Choose a template…</option>
            {published.map((t) => (
              <option key={t.key} value={t.key}>
                {t.name}
              </option>
            ))}
          </select>
          <FieldErrors messages={at('template')} />
        </div>
        <div className="field">
          <label htmlFor="start-version">Version</label>
          <select
            id="start-version"
            value={chosen ?? ''}
            disabled={!versions.data?.length}
            onChange={(e) => setVersion(Number(e.target.value))}
            data-testid="start-version"
          >
            {(versions.data ?? []).map((v) => (
              <option key={v.version} value={v.version}>
                v{v.version}
                {v.version === latest ? ' (latest)' : ''} ·{' '}
                {new Date(v.publishedAt).toLocaleDateString()}
              </option>
            ))}
          </select>
          <FieldErrors messages={at('version')} />
        </div>
      </div>
      {templates.error !== undefined && <ProblemView error={templates.error} />}
      {templateKey && pinned.loading && !pinned.data && (
        <Loading what="Loading the template's roles" />
      )}
      {pinned.error !== undefined && templateKey && chosen !== undefined && (
        <ProblemView error={pinned.error} />
      )}
      {pinned.data && pinned.data.key === templateKey && (
        <ParticipantsFields
          needs={roleNeeds(pinned.data.template)}
          value={participants}
          onChange={setParticipants}
          errors={byRole}
        />
      )}
      {submit.error !== undefined && (
        <div data-testid="start-error">
          <ProblemView error={submit.error} hideFields={general.length === 0} />
        </div>
      )}
      <div className="form-actions">
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={submit.pending || why !== undefined}
          {...whyProps('start-why', why)}
          data-testid="start-submit"
        >
          {submit.pending ? 'Starting…' : 'Start project'}
        </button>
        <DisabledWhy id="start-why" why={why} />
      </div>
    </form>
  );
}
