/**
 * Every message of the `projectLifecycle` workflow, defined once (STYLE §3). The action
 * Updates are derived from the action table (model/actions.ts): their names are the table's
 * keys, their inputs its schemas. The API and the tests import these; no message name string
 * appears anywhere else.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { ActionInput, ActionName, ActionResult, ProjectState } from './model';

/** The Update of action `name`, typed by its input (one per entry of the action table). */
export function actionUpdate<K extends ActionName>(
  name: K,
): UpdateDefinition<ActionResult, [ActionInput<K>], K> {
  return defineUpdate<ActionResult, [ActionInput<K>], K>(name);
}

/** Every action's Update, by action name. */
export type ActionUpdates = {
  [K in ActionName]: UpdateDefinition<ActionResult, [ActionInput<K>], K>;
};

// Shorthands for tests and tools that send one action directly.
export const signoffUpdate = actionUpdate('signoff');
export const submitDeliverableUpdate = actionUpdate('submitDeliverable');
export const completeStageUpdate = actionUpdate('completeStage');
export const raiseIssueUpdate = actionUpdate('raiseIssue');
export const resolveIssueUpdate = actionUpdate('resolveIssue');
export const acknowledgeIssueUpdate = actionUpdate('acknowledgeIssue');
export const respondToIssueUpdate = actionUpdate('respondToIssue');
export const extendHypercareUpdate = actionUpdate('extendHypercare');
export const recordKpiUpdate = actionUpdate('recordKpi');
export const setMetricsUpdate = actionUpdate('setMetrics');
export const agreeMetricsUpdate = actionUpdate('agreeMetrics');
export const recordCostUpdate = actionUpdate('recordCost');
export const kpiReviewUpdate = actionUpdate('kpiReview');
export const recordReadinessUpdate = actionUpdate('recordReadiness');
export const feedbackUpdate = actionUpdate('feedback');
export const conditionMetUpdate = actionUpdate('conditionMet');
export const setFeedbackStatusUpdate = actionUpdate('setFeedbackStatus');
export const recordReviewDecisionUpdate = actionUpdate('recordReviewDecision');
export const recordReviewActionUpdate = actionUpdate('recordReviewAction');
export const completeReviewActionUpdate = actionUpdate('completeReviewAction');
export const resumeUpdate = actionUpdate('resume');
export const retireUpdate = actionUpdate('retire');
export const cancelUpdate = actionUpdate('cancel');
export const migrateUpdate = actionUpdate('migrate');
export const reassignUpdate = actionUpdate('reassign');

/** The project's full runtime state. */
export const stateQuery = defineQuery<ProjectState>('state');

/** Workflow type name and id scheme, shared by API, worker and tests. */
export const PROJECT_WORKFLOW = 'projectLifecycle';
export const projectWorkflowId = (projectId: string): string => `project-${projectId}`;

/** The bulk migration workflow (workflows/bulk-migration.ts): type name and id per job. */
export const BULK_MIGRATION_WORKFLOW = 'bulkMigration';
export const bulkMigrationWorkflowId = (jobId: string): string => `bulk-migration-${jobId}`;

/**
 * The workflow task timeout a project runs with (continue-as-new keeps it). While a local
 * activity (the record write, workflows/outbox.ts) runs past 80% of it, the SDK completes the
 * task empty to keep it alive, and on replay it runs that task's events at the next task's
 * time: a tick or an Update there would see another `Date.now()` than it did, and the state
 * (or, where time decides, the commands) would differ. So the task timeout stays well above
 * what the record write may take (RECORD_WRITE_TIMEOUT in workflows/outbox.ts, whose retries
 * wait on timers). The price: a task held by a worker that dies is retried after this long.
 */
export const WORKFLOW_TASK_TIMEOUT = '30s';
