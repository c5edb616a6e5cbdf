/**
 * Out of office: hand your part in one project, or in all of them, to a colleague for a
 * period, and see the delegations you gave (revocable) and received. The colleague then finds
 * your sign-offs in their to-do list, marked "for" you, and your notifications in their inbox.
 */
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { DelegationView } from '../../../../server/contract-delegation';
import { ApiError } from '../../api/client';
import { useSession } from '../../shell/session';
import { errorsByKey } from '../logic/problems';
import { PeoplePicker } from '../ui/PeoplePicker';
import { submitHandler, useSubmit } from '../ui/hooks';
import { FieldErrors, Loading, ProblemView, SubmitRow } from '../ui/states';
import { inboxKeys } from './queries';

const DAY_MS = 24 * 60 * 60 * 1000;
const delegationsKey = ['delegations'] as const;

/** A `datetime-local` value (local time, minutes) of an instant. */
function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

export function OutOfOffice() {
  const { api } = useSession();
  const client = useQueryClient();
  const list = useQuery({
    queryKey: delegationsKey,
    queryFn: () => api('listDelegations'),
  });
  const projects = useQuery({
    queryKey: ['delegations', 'projects'],
    queryFn: () =>
      api('listProjects', {
        query: { status: 'active', limit: 200 },
      }),
  });
  const [delegate, setDelegate] = useState<string[]>([]);
  const [project, setProject] = useState('');
  const [from, setFrom] = useState(() => localInput(Date.now()));
  const [until, setUntil] = useState(() => localInput(Date.now() + 7 * DAY_MS));
  const refresh = () => {
    void client.invalidateQueries({ queryKey: delegationsKey });
    void client.invalidateQueries({ queryKey: inboxKeys.all });
  };
  const create = useSubmit(() =>
    api('createDelegation', {
      body: {
        delegate: delegate[0] ?? '',
        ...(project !== '' && { project }),
        from: new Date(from).toISOString(),
        until: new Date(until).toISOString(),
      },
    }),
  );
  const revoke = useSubmit((id: string) => api('revokeDelegation', { params: { id } }));
  const errors = errorsByKey(create.error instanceof ApiError ? create.error.problem.errors : [], [
    'body',
  ]);

  const onSubmit = submitHandler(async () => {
    if (await create.run()) {
      setDelegate([]);
      refresh();
    }
  });

  return (
    <div className="out-of-office" data-testid="out-of-office">
      <form className="form card" onSubmit={onSubmit} data-testid="delegate-form">
        <h2>Out of office: delegate</h2>
        <p className="muted small">
          Your colleague signs for you while you are away; every vote is recorded as theirs, for
          you.
        </p>
        <div className="field">
          <label htmlFor="delegate-to">Colleague</label>
          <PeoplePicker
            id="delegate-to"
            source="colleagues"
            values={delegate}
            onChange={(ids) => setDelegate(ids.slice(-1))}
            invalid={errors.delegate !== undefined}
            testId="delegate-to"
          />
          <FieldErrors messages={errors.delegate} />
        </div>
        <div className="field">
          <label htmlFor="delegate-project">Projects</label>
          <select
            id="delegate-project"
            value={project}
            onChange={(e) => setProject(e.target.value)}
            data-testid="delegate-project"
          >
            <option value="">All my projects</option>
            {(projects.data?.items ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <FieldErrors messages={errors.project} />
        </div>
        <TimeField label="From" name="from" value={from} onChange={setFrom} errors={errors.from} />
        <TimeField
          label="Until"
          name="until"
          value={until}
          onChange={setUntil}
          errors={errors.until}
        />
        <SubmitRow
          label="Delegate"
          pendingLabel="Delegating…"
          pending={create.pending}
          disabled={delegate.length === 0}
          why="Choose who covers for you first."
          testId="delegate-submit"
          error={create.error}
          hideFields
        />
      </form>
      {list.isPending ? (
        <Loading what="Loading your delegations" />
      ) : list.isError ? (
        <ProblemView error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <>
          <DelegationList
            title="You delegated"
            items={list.data.given}
            other={(d) => `to ${d.delegate.name}`}
            onRevoke={(id) =>
              void revoke.run(id).then((revoked) => {
                if (revoked) refresh();
              })
            }
            testId="delegations-given"
          />
          <DelegationList
            title="Delegated to you"
            items={list.data.received}
            other={(d) => `for ${d.delegator.name}`}
            testId="delegations-received"
          />
          {revoke.error !== undefined && <ProblemView error={revoke.error} />}
        </>
      )}
    </div>
  );
}

/** One end of the period, in local time to the minute. */
function TimeField({
  label,
  name,
  value,
  onChange,
  errors,
}: {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  errors: string[] | undefined;
}) {
  return (
    <div className="field">
      <label htmlFor={`delegate-${name}`}>{label}</label>
      <input
        id={`delegate-${name}`}
        type="datetime-local"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        data-testid={`delegate-${name}`}
      />
      <FieldErrors messages={errors} />
    </div>
  );
}

function DelegationList({
  title,
  items,
  other,
  onRevoke,
  testId,
}: {
  title: string;
  items: DelegationView[];
  other: (d: DelegationView) => string;
  onRevoke?: (id: string) => void;
  testId: string;
}) {
  const when = (iso: string) => new Date(iso).toLocaleString();
  return (
    <section className="card" data-testid={testId}>
      <h2>{title}</h2>
      {items.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul className="plain-list">
          {items.map((d) => (
            <li key={d.id} data-testid="delegation" data-status={d.status}>
              <strong>{other(d)}</strong> · {d.project?.name ?? 'all projects'} · {when(d.from)} –{' '}
              {when(d.until)} <span className="tag">{d.status}</span>
              {onRevoke && (d.status === 'active' || d.status === 'scheduled') && (
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => onRevoke(d.id)}
                  data-testid="delegation-revoke"
                >
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
