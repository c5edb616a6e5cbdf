/**
 * Every message of the `projectLifecycle` workflow, defined once (STYLE §3). The API and the
 * tests import these; no message name string appears anywhere else.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  ActionResult,
  CompleteStageInput,
  ConditionMetInput,
  DeliverableInput,
  ExtendHypercareInput,
  FeedbackInput,
  MigrateInput,
  ProjectState,
  RaiseIssueInput,
  ReasonInput,
  RecordKpiInput,
  ResolveIssueInput,
  SignoffInput,
} from './model';

export const signoffUpdate = defineUpdate<ActionResult, [SignoffInput]>('signoff');
export const submitDeliverableUpdate = defineUpdate<ActionResult, [DeliverableInput]>(
  'submitDeliverable',
);
export const completeStageUpdate = defineUpdate<ActionResult, [CompleteStageInput]>(
  'completeStage',
);
export const raiseIssueUpdate = defineUpdate<ActionResult, [RaiseIssueInput]>('raiseIssue');
export const resolveIssueUpdate = defineUpdate<ActionResult, [ResolveIssueInput]>('resolveIssue');
export const extendHypercareUpdate = defineUpdate<ActionResult, [ExtendHypercareInput]>(
  'extendHypercare',
);
export const recordKpiUpdate = defineUpdate<ActionResult, [RecordKpiInput]>('recordKpi');
export const feedbackUpdate = defineUpdate<ActionResult, [FeedbackInput]>('feedback');
export const conditionMetUpdate = defineUpdate<ActionResult, [ConditionMetInput]>('conditionMet');
export const resumeUpdate = defineUpdate<ActionResult, [ReasonInput]>('resume');
export const retireUpdate = defineUpdate<ActionResult, [ReasonInput]>('retire');
export const cancelUpdate = defineUpdate<ActionResult, [ReasonInput]>('cancel');
export const migrateUpdate = defineUpdate<ActionResult, [MigrateInput]>('migrate');

/** The project's full runtime state. */
export const stateQuery = defineQuery<ProjectState>('state');

/** Workflow type name and id scheme, shared by API, worker and tests. */
export const PROJECT_WORKFLOW = 'projectLifecycle';
export const projectWorkflowId = (projectId: string): string => `project-${projectId}`;
