/**
 * A bulk migration whose Update lands after the job gave the project up, through the real path:
 * the job's attempts cannot reach the project (a worker dependency that fails before sending),
 * and once the job is done the test sends the Update the last attempt would have sent (its input
 * and Update id) to the project's workflow, which applies it; its record write, in the stack's
 * worker, settles the job's row `migrated`, late and provisional (until the project records
 * anything more).
 */
import type { MigrateProject } from '../../../activities';
import { migrateThroughWorker } from '../../../worker/project-updates';
import { migrateUpdate, projectWorkflowId } from '../../../workflows/messages';
import { connectTestTemporal } from '../../support/temporal';
import { startBrowserApp, type BrowserApp } from './app';

export interface UnreachableProjects {
  /** The worker dependency to start the app with (`startBrowserApp({...}, { activities })`). */
  migrateProject: MigrateProject;
  /** Makes the job's attempts for `projectId` fail before they send its Update. */
  cut(projectId: string): void;
  /** Sends `projectId` the Update its job's last attempt would have sent; the project applies it. */
  landLate(projectId: string): Promise<void>;
}

export function unreachableProjects(): UnreachableProjects {
  /** Projects this worker cannot reach, with the last Update each attempt failed to send. */
  const cut = new Map<string, { input: Parameters<MigrateProject>[1]; updateId: string } | null>();
  return {
    migrateProject: async (projectId, input, updateId) => {
      if (!cut.has(projectId)) return migrateThroughWorker(projectId, input, updateId);
      cut.set(projectId, { input, updateId });
      throw new Error("the project's worker does not answer");
    },
    cut: (projectId) => void cut.set(projectId, null),
    landLate: async (projectId) => {
      const sent = cut.get(projectId);
      if (!sent) throw new Error(`no attempt of the job tried to reach ${projectId}`);
      const { client } = await connectTestTemporal();
      await client.workflow
        .getHandle(projectWorkflowId(projectId))
        .executeUpdate(migrateUpdate, { args: [sent.input], updateId: sent.updateId });
    },
  };
}

/**
 * The app a late-migration test watches: a job of two attempts within a minute, whose attempts
 * go through `unreachable`'s worker dependency.
 */
export function startUnreachableApp(unreachable: UnreachableProjects): Promise<BrowserApp> {
  return startBrowserApp(
    { migrationBudget: { attempts: 2, seconds: 60 } },
    { activities: { migrateProject: unreachable.migrateProject } },
  );
}
