/**
 * The form for one pending action (`GET /api/inbox` item or the project view's "your turn"):
 * the inbox and the project view render the same forms from the same pure `pendingActions`.
 */
import { isSignable, type Template } from '../../../../workflows/model';
import type { PendingAction, ProjectStateView } from '../types';
import { AgreeMetricsForm } from './AgreeMetricsForm';
import { KpiForm } from './KpiForm';
import { KpiReviewForm } from './KpiReviewForm';
import { ReadinessForm } from './ReadinessForm';
import { SignoffForm } from './SignoffForm';
import { CompleteStageForm, ConditionMetForm, DeliverableForm, ReasonForm } from './SimpleForms';
import { AcknowledgeIssue, ResolveIssue } from '../project/HypercareForms';
import { FeedbackToAnswer } from '../project/FeedbackTab';

export const ACTION_LABELS: Record<PendingAction['action'], string> = {
  signoff: 'Sign off',
  'accept-hypercare': 'Accept handoff',
  'submit-deliverable': 'Submit deliverable',
  'complete-stage': 'Complete stage',
  resume: 'Resume',
  'meet-condition': 'Meet condition',
  'kpi-review': 'KPI review',
  'agree-metrics': 'Agree metrics',
  'record-readiness': 'Record readiness',
  'acknowledge-issue': 'Take issue on',
  'resolve-issue': 'Resolve issue',
  'complete-review-action': 'Follow-up action',
  'answer-feedback': 'Answer feedback',
};

export function ActionForm({
  action,
  state,
  template,
  onDone,
}: {
  action: PendingAction;
  state: ProjectStateView;
  template: Template;
  onDone: (message: string) => void;
}) {
  const node = template.nodes.find((n) => n.id === action.nodeId);
  const record = state.nodes[action.nodeId];
  const projectId = state.id;
  if (!node) return <p className="muted">This step is not in the project’s template.</p>;
  switch (action.action) {
    case 'signoff':
    case 'accept-hypercare':
      return isSignable(node) ? (
        <SignoffForm
          projectId={projectId}
          node={node}
          record={record}
          roles={action.roles}
          {...(action.onBehalfOf && { onBehalfOf: action.onBehalfOf })}
          template={template}
          state={state}
          onDone={onDone}
          {...(action.action === 'accept-hypercare' && { submitLabel: 'Accept and end hypercare' })}
          {...(node.type === 'review' && { submitLabel: 'Accept the review' })}
        />
      ) : null;
    case 'submit-deliverable': {
      const list = node.type === 'stage' || node.type === 'gate' ? (node.deliverables ?? []) : [];
      const deliverable = list.find((d) => d.id === action.itemId);
      return deliverable ? (
        <DeliverableForm
          projectId={projectId}
          nodeId={node.id}
          deliverable={deliverable}
          onDone={onDone}
        />
      ) : null;
    }
    case 'complete-stage':
      return (
        <CompleteStageForm
          projectId={projectId}
          nodeId={node.id}
          deliverables={node.type === 'stage' ? node.deliverables : []}
          record={record}
          onDone={onDone}
        />
      );
    case 'meet-condition':
    case 'complete-review-action': {
      const condition = state.conditions.find((c) => c.id === action.itemId);
      return condition ? (
        <ConditionMetForm projectId={projectId} condition={condition} onDone={onDone} />
      ) : null;
    }
    case 'resume':
      return <ReasonForm projectId={projectId} action="resume" onDone={onDone} />;
    case 'kpi-review':
      // A monitor with `reviewWithin` waits for its open review; otherwise a reading will do.
      return node.type === 'monitor' && node.reviewWithin !== undefined ? (
        <KpiReviewForm
          state={state}
          template={template}
          nodeId={node.id}
          number={action.itemId ?? ''}
          {...(action.onBehalfOf && { onBehalfOf: action.onBehalfOf })}
          onDone={onDone}
        />
      ) : (
        <KpiForm projectId={projectId} metrics={template.metrics ?? []} onDone={onDone} />
      );
    case 'agree-metrics':
      return (
        <AgreeMetricsForm projectId={projectId} proposal={{ state, template }} onDone={onDone} />
      );
    case 'record-readiness':
      return node.type === 'gate' && action.itemId ? (
        <ReadinessForm
          projectId={projectId}
          node={node}
          record={record}
          itemId={action.itemId}
          onDone={onDone}
        />
      ) : null;
    case 'acknowledge-issue':
    case 'resolve-issue': {
      const issue = state.issues.find((i) => i.id === action.itemId);
      if (!issue) return null;
      return action.action === 'acknowledge-issue' ? (
        <AcknowledgeIssue projectId={projectId} issue={issue} onDone={onDone} />
      ) : (
        <ResolveIssue projectId={projectId} issue={issue} onDone={onDone} />
      );
    }
    case 'answer-feedback':
      return (
        <FeedbackToAnswer
          state={state}
          template={template}
          feedbackId={action.itemId}
          onDone={onDone}
        />
      );
  }
}
