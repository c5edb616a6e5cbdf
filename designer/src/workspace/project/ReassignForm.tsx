/**
 * The PMO gives one participant's part in one role to another active user, for good
 * (`POST /api/projects/:id/participants/reassign`): the role, who leaves it (deactivated
 * people marked, and chosen first), who takes it over (searched in the directory, where
 * deactivated people and the role's holders are listed but cannot be picked), and why. The API's refusals show at the field they
 * name (an inactive successor, someone who already holds the role, a staffing rule the change
 * would break).
 */
import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import { useSession } from '../../shell/session';
import { useTemplateVersion } from '../cache';
import { holders, holdersOf, type Holder } from '../logic/participants';
import { errorsByKey, errorsOutside } from '../logic/problems';
import { useNameOf } from '../people';
import type { ProjectStateView } from '../types';
import { listedPerson, PeoplePicker } from '../ui/PeoplePicker';
import { useIdempotencyKey } from '../ui/hooks';
import { FieldErrors, ProblemView, SubmitRow } from '../ui/states';
import { useProjectParticipants, useReassign } from './useReassign';

/** What the form opens on: a deactivated participant's part, from the banner. */
export interface ReassignPreset {
  role: string;
  from: string;
}

const FIELDS = ['role', 'from', 'to', 'reason'] as const;

export function ReassignForm({
  state,
  preset,
  onDone,
}: {
  state: ProjectStateView;
  preset?: ReassignPreset;
  onDone: (message: string) => void;
}) {
  const { api } = useSession();
  const nameOf = useNameOf();
  const uid = useId();
  const template = useTemplateVersion(api, state.template.key, state.template.version);
  const people = useProjectParticipants(state.id);
  const all = holders(state.participants, people.data?.items ?? [], nameOf);
  const roleName = (key: string) =>
    template.data?.template.roles.find((r) => r.key === key)?.name ?? key;
  // The template's roles someone holds, in the template's order (the state's while it loads).
  const roles = (
    template.data?.template.roles.map((r) => r.key) ?? Object.keys(state.participants)
  ).filter((key) => holdersOf(all, key).length > 0);

  const [pickedRole, setRole] = useState(preset?.role);
  // A role with a deactivated holder first, unless the PMO (or the banner) chose one still held.
  const role =
    pickedRole !== undefined && roles.includes(pickedRole)
      ? pickedRole
      : (roles.find((r) => holdersOf(all, r).some((h) => !h.active)) ?? roles[0]);
  const inRole = role === undefined ? [] : holdersOf(all, role);
  const [pickedFrom, setFrom] = useState(preset?.from);
  // Deactivated holders come first: the one to replace, unless the PMO chose.
  const from = inRole.some((h) => h.userId === pickedFrom) ? pickedFrom : inRole[0]?.userId;
  // The API refuses a successor who holds the role already: the picker says so beforehand.
  const holding = new Map(inRole.map((h) => [h.userId, 'already holds this role']));
  const [to, setTo] = useState<string[]>([]);
  const [reason, setReason] = useState('');
  const [key, renewKey] = useIdempotencyKey();
  const reassign = useReassign(state.id);

  const problems = reassign.error instanceof ApiError ? reassign.error.problem.errors : [];
  const errors = errorsByKey(problems, ['body']);
  const general = errorsOutside(
    problems,
    FIELDS.map((f) => ['body', f]),
  );
  const id = (field: (typeof FIELDS)[number]) => `${uid}-${field}`;
  const described = (field: (typeof FIELDS)[number], hint = false) =>
    [hint && `${id(field)}-hint`, errors[field] && `${id(field)}-error`]
      .filter(Boolean)
      .join(' ') || undefined;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const successor = to[0];
    if (role === undefined || from === undefined || successor === undefined) return;
    const body = {
      role,
      from,
      to: successor,
      ...(reason.trim() !== '' && { reason: reason.trim() }),
      idempotencyKey: key,
    };
    // Names as they are now: the new state may arrive (streamed) before the answer does.
    const leaving = inRole.find((h) => h.userId === from)?.name ?? nameOf(from);
    const taking = listedPerson(successor)?.name ?? nameOf(successor);
    const done = `${leaving}’s part as ${roleName(role)} is now ${taking}’s.`;
    // A refusal stays in `reassign.error`, shown at the fields it names.
    reassign.mutate(body, {
      onSuccess: () => {
        renewKey();
        onDone(done);
      },
    });
  };

  if (roles.length === 0) return <p className="muted">Nobody takes part in this project.</p>;
  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="reassign-form">
      <fieldset className="reassign-fields" disabled={reassign.isPending}>
        <legend className="sr-only">Reassign a participant</legend>
        <div className="field">
          <label htmlFor={id('role')}>Role</label>
          <select
            id={id('role')}
            value={role}
            onChange={(e) => {
              setRole(e.target.value);
              setFrom(undefined);
              reassign.reset();
            }}
            aria-invalid={errors.role ? true : undefined}
            aria-describedby={described('role')}
            data-testid="reassign-role"
          >
            {roles.map((r) => (
              <option key={r} value={r}>
                {roleName(r)}
              </option>
            ))}
          </select>
          <FieldErrors messages={errors.role} id={`${id('role')}-error`} />
        </div>
        <div className="field">
          <label htmlFor={id('from')}>Who leaves the role</label>
          <select
            id={id('from')}
            value={from}
            onChange={(e) => {
              setFrom(e.target.value);
              reassign.reset();
            }}
            aria-invalid={errors.from ? true : undefined}
            aria-describedby={described('from')}
            data-testid="reassign-from"
          >
            {inRole.map((h) => (
              <option key={h.userId} value={h.userId}>
                {holderLabel(h)}
              </option>
            ))}
          </select>
          <FieldErrors messages={errors.from} id={`${id('from')}-error`} />
        </div>
        <div className="field">
          <label htmlFor={id('to')}>Who takes it over</label>
          <PeoplePicker
            id={id('to')}
            values={to}
            onChange={(ids) => {
              setTo(ids.slice(-1));
              reassign.reset();
            }}
            invalid={errors.to !== undefined}
            describedBy={described('to', true)}
            testId="reassign-to"
            unavailable={holding}
          />
          <small id={`${id('to')}-hint`} className="hint">
            An active user; they take the part over with its open follow-up actions. Votes already
            cast stay.
          </small>
          <div data-testid="reassign-to-error">
            <FieldErrors messages={errors.to} id={`${id('to')}-error`} />
          </div>
        </div>
        <div className="field">
          <label htmlFor={id('reason')}>
            Reason <span className="muted small">(optional, in the audit trail)</span>
          </label>
          <textarea
            id={id('reason')}
            rows={2}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            aria-invalid={errors.reason ? true : undefined}
            aria-describedby={described('reason')}
            data-testid="reassign-reason"
          />
          <FieldErrors messages={errors.reason} id={`${id('reason')}-error`} />
        </div>
      </fieldset>
      {people.error != null && <ProblemView error={people.error} />}
      <SubmitRow
        label="Reassign"
        pendingLabel="Reassigning…"
        pending={reassign.isPending}
        disabled={from === undefined || to.length === 0}
        why={
          from === undefined
            ? 'Choose who leaves the role first.'
            : 'Choose who takes the role over first.'
        }
        testId="reassign-submit"
        error={reassign.error ?? undefined}
        hideFields={general.length === 0}
      />
    </form>
  );
}

function holderLabel(h: Holder): string {
  return h.active ? h.name : `${h.name} (deactivated)`;
}
