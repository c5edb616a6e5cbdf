/**
 * A running project's deactivated participants: they can no longer act, so their roles wait
 * until the PMO reassigns them. The PMO gets a "Reassign…" per part, opening the reassign form
 * on it; a part reassigned leaves the banner with the new state.
 */
import { useState } from 'react';
import { useSession } from '../../shell/session';
import { holders } from '../logic/participants';
import { useNameOf } from '../people';
import type { ProjectStateView, Template } from '../types';
import { Dialog } from '../ui/controls';
import { ReassignForm, type ReassignPreset } from './ReassignForm';
import { useProjectParticipants } from './useReassign';

export function InactiveParticipants({
  state,
  template,
  onDone,
}: {
  state: ProjectStateView;
  /** The pinned template, for role names (keys while it loads). */
  template: Template | undefined;
  onDone: (message: string) => void;
}) {
  const { me } = useSession();
  const nameOf = useNameOf();
  const people = useProjectParticipants(state.id);
  const [reassigning, setReassigning] = useState<ReassignPreset>();
  const inactive = holders(state.participants, people.data?.items ?? [], nameOf).filter(
    (h) => !h.active,
  );
  const pmo = me.pmo || me.admin;
  const roleName = (key: string) => template?.roles.find((r) => r.key === key)?.name ?? key;
  // The dialog outlives the banner: the new state (streamed, maybe before the answer) empties
  // the banner while the form still waits to hear it succeeded.
  const dialog = (
    <Dialog
      open={reassigning !== undefined}
      onClose={() => setReassigning(undefined)}
      title="Reassign a participant"
      testId="reassign-dialog"
    >
      {reassigning && (
        <ReassignForm
          key={`${reassigning.from}/${reassigning.role}`}
          state={state}
          preset={reassigning}
          onDone={(message) => {
            setReassigning(undefined);
            onDone(message);
          }}
        />
      )}
    </Dialog>
  );
  return (
    <>
      {inactive.length > 0 && (
        <div className="banner banner-warn" data-testid="inactive-participants">
          <p role="status" className="banner-text">
            <strong>Deactivated: </strong>
            {inactive
              .map((p) => `${p.name} (${p.roles.map(roleName).join(', ')})`)
              .join('; ')}.{' '}
            {pmo
              ? 'They can no longer act here: reassign their part.'
              : 'They can no longer act here; the PMO has been asked to reassign their part.'}
          </p>
          {pmo && (
            <ul className="inactive-parts">
              {inactive.flatMap((p) =>
                p.roles.map((role) => (
                  <li key={`${p.userId}/${role}`}>
                    <span>
                      {p.name} · {roleName(role)}
                    </span>
                    <button
                      type="button"
                      className="btn btn-small"
                      aria-label={`Reassign ${p.name}’s part as ${roleName(role)}`}
                      onClick={() => setReassigning({ role, from: p.userId })}
                      data-testid="reassign-open"
                      data-user-id={p.userId}
                      data-role={role}
                    >
                      Reassign…
                    </button>
                  </li>
                )),
              )}
            </ul>
          )}
        </div>
      )}
      {dialog}
    </>
  );
}
