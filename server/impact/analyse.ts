/**
 * Impact of a candidate version on projects: each project's history read from Temporal and
 * classified by the interpreter (workflows/lifecycle/impact.ts), a few projects at a time.
 */
import type { Client } from '@temporalio/client';
import { analyseProject, type Candidate } from '../../workflows/lifecycle';
import type { ProjectImpact } from '../../workflows/model';
import { isTemporalFault } from '../routes/temporal-faults';
import { readProjectHistory } from './history';

/** Histories read at once: the frontend answers them in parallel, the replays are CPU. */
const CONCURRENCY = 8;

/** Classifies each project (in the given order) against `candidate`, as of `now`. */
export async function analyseProjects(
  client: Client,
  projectIds: readonly string[],
  candidate: Candidate,
  now = Date.now(),
): Promise<ProjectImpact[]> {
  const results: ProjectImpact[] = new Array<ProjectImpact>(projectIds.length);
  let next = 0;
  const lane = async () => {
    while (next < projectIds.length) {
      const index = next++;
      results[index] = await analyseOne(client, projectIds[index]!, candidate, now);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, projectIds.length) }, lane));
  return results;
}

/**
 * One project. A history that cannot be read or replayed is reported as `blocked` with the
 * reason: the analysis cannot vouch for its migration, and one project never stops the rest.
 * Temporal not answering is no answer about the project: that error goes to the caller.
 */
export async function analyseOne(
  client: Client,
  projectId: string,
  candidate: Candidate,
  now = Date.now(),
): Promise<ProjectImpact> {
  try {
    return analyseProject(await readProjectHistory(client, projectId), candidate, now);
  } catch (error) {
    if (isTemporalFault(error)) throw error;
    return {
      projectId,
      class: 'blocked',
      version: 0,
      current: [],
      wouldStand: [],
      differences: [
        {
          kind: 'unreadable',
          message: `its history could not be analysed: ${error instanceof Error ? error.message : String(error)}`,
        },
      ],
    };
  }
}
