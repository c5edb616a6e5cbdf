/**
 * A project's people with whether each can still act (`GET /api/projects/:id/participants`),
 * and the PMO's reassignment of a part (`POST /api/projects/:id/participants/reassign`), both
 * through TanStack Query: a reassignment done refetches the people, their names and the state
 * (the event stream pushes the new state too).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { ReassignBody } from '../../../../workflows/model';
import { useSession } from '../../shell/session';
import { peopleKey } from '../people';
import { CHANGED_EVENT } from '../ui/hooks';
import { projectKey } from './useProject';

export const participantsKey = (projectId: string) => ['participants', projectId] as const;

export function useProjectParticipants(projectId: string) {
  const { api } = useSession();
  return useQuery({
    queryKey: participantsKey(projectId),
    queryFn: () => api('participants', { params: { id: projectId } }),
  });
}

export type Reassignment = z.input<typeof ReassignBody>;

export function useReassign(projectId: string) {
  const { api } = useSession();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Reassignment) => api('reassign', { params: { id: projectId }, body }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: participantsKey(projectId) });
      void client.invalidateQueries({ queryKey: peopleKey(projectId) });
      void client.invalidateQueries({ queryKey: projectKey(projectId) });
      // The navigation's inbox count listens (both people were notified).
      window.dispatchEvent(new Event(CHANGED_EVENT));
    },
  });
}
