/**
 * A running project's deactivated participants (`GET /api/projects/:id/participants`): they
 * can no longer act, so their roles wait until the PMO reassigns them.
 */
import { useCallback } from 'react';
import { useSession } from '../../shell/session';
import { useLoad } from '../ui/hooks';

export function InactiveParticipants({ projectId }: { projectId: string }) {
  const { api, me } = useSession();
  const people = useLoad(
    useCallback(() => api('participants', { params: { id: projectId } }), [api, projectId]),
  );
  const inactive = people.data?.items.filter((p) => !p.active) ?? [];
  if (inactive.length === 0) return null;
  return (
    <div className="banner banner-warn" role="status" data-testid="inactive-participants">
      <strong>Deactivated: </strong>
      {inactive.map((p) => `${p.name} (${p.roles.join(', ')})`).join('; ')}.{' '}
      {me.pmo || me.admin
        ? 'They can no longer act here: reassign their part.'
        : 'They can no longer act here; the PMO has been asked to reassign their part.'}
    </div>
  );
}
