/**
 * People, not ids (issue 10, item 3): the names of everyone a project mentions — its
 * participants, who started it, whoever voted, submitted, raised, resolved, recorded or
 * posted, and every actor of its audit trail — for whoever may open the project, the PMO's
 * directory aside (participants may not search it). Screens show these names; ids stay in
 * exports (the audit JSON, the API).
 */
import { getProjectState, getUsersByIds, listAuditActors } from '../../db';
import type { ProjectState } from '../../workflows/model';
import type { Handlers } from '../app';
import { HttpProblem } from '../problem';

/** Every user id a project state mentions. */
export function userIdsOf(state: ProjectState): string[] {
  const ids = new Set<string>([state.startedBy, ...Object.values(state.participants).flat()]);
  for (const record of Object.values(state.nodes)) {
    for (const vote of record.votes) ids.add(vote.userId);
    for (const submission of Object.values(record.deliverables)) ids.add(submission.by);
    for (const review of record.monitor?.done ?? []) {
      if (review.by !== undefined) ids.add(review.by);
      if (review.onBehalfOf !== undefined) ids.add(review.onBehalfOf);
    }
  }
  for (const issue of state.issues) {
    ids.add(issue.raisedBy);
    if (issue.resolvedBy !== undefined) ids.add(issue.resolvedBy);
  }
  for (const condition of state.conditions) {
    ids.add(condition.setBy);
    if (condition.metBy !== undefined) ids.add(condition.metBy);
  }
  for (const reading of state.kpis) ids.add(reading.by);
  for (const entry of state.feedback) ids.add(entry.by);
  for (const entry of state.timeline) ids.add(entry.actor);
  return [...ids];
}

export const projectNameHandlers: Handlers<'projectPeople'> = {
  async projectPeople({ deps, params }) {
    const state = await getProjectState(deps.db, params.id);
    if (!state) throw new HttpProblem(404, 'not_found', `no project "${params.id}"`);
    const ids = new Set([...userIdsOf(state), ...(await listAuditActors(deps.db, params.id))]);
    ids.delete('system');
    const users = await getUsersByIds(deps.db, [...ids]);
    return {
      people: Object.fromEntries(users.map((u) => [u.id, { name: u.name, active: u.active }])),
    };
  },
};
