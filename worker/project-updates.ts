/**
 * How the worker's activities reach a project: its Updates sent through the worker's own
 * Temporal client (the one the SDK hands each activity), so no second connection is needed.
 */
import { Context } from '@temporalio/activity';
import type { MigrateProject } from '../activities';
import { migrateUpdate, projectWorkflowId } from '../workflows/messages';

export const migrateThroughWorker: MigrateProject = (projectId, input, updateId) =>
  Context.current()
    .client.workflow.getHandle(projectWorkflowId(projectId))
    .executeUpdate(migrateUpdate, { args: [input], updateId });
