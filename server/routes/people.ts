/**
 * `GET /api/projects/:id/participants`: who takes part in a project, by name, in which roles,
 * and whether each can still act (a deactivated participant shows as inactive until the PMO
 * reassigns their part).
 */
import { listProjectPeople } from '../../db';
import type { Handlers } from '../app';

export const peopleHandlers: Handlers<'participants'> = {
  async participants({ deps, params }) {
    return { items: await listProjectPeople(deps.db, params.id) };
  },
};
