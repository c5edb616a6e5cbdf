/**
 * Signing a gate, review or hypercare exit off: decision, role (when the signer holds several),
 * scorecard, Conditional Go conditions and a comment. Hints say beforehand what the workflow
 * would refuse; the server's 403/409/422 reasons are shown as they come back.
 */
import { useState } from 'react';
import { ApiError } from '../../api/client';
import { hrefOf } from '../../shell/routes';
import { useSession } from '../../shell/session';
import {
  allowedDecisions,
  awaitsMetricsAgreement,
  criteriaOf,
  missingDeliverables,
  readinessGaps,
  scorecard,
  type Decision,
  type NodeRecord,
  type SignableNode,
  type Template,
} from '../../../../workflows/model';
import type { ProjectStateView } from '../types';
import { errorsByKey } from '../logic/problems';
import { initialDraft, signoffBody, signoffHints, type SignoffDraft } from '../logic/signoff';
import { submitHandler, useIdempotencyKey, useSubmit } from '../ui/hooks';
import { FieldErrors, ProblemView } from '../ui/states';
import { GateMetrics } from '../project/GateMetrics';
import { ConditionsEditor } from './ConditionsEditor';
import { Scorecard } from './Scorecard';

const DECISION_TEXT: Record<Decision, { label: string; help: string; submit: string }> = {
  go: { label: 'Go', help: 'Pass the gate (counts toward the quorum).', submit: 'Submit go' },
  recycle: {
    label: 'Recycle',
    help: 'Send the project back to rework; decides at once.',
    submit: 'Recycle',
  },
  hold: { label: 'Hold', help: 'Pause the project until it is resumed.', submit: 'Put on hold' },
  kill: {
    label: 'Kill',
    help: 'Stop the project for good; decides at once.',
    submit: 'Kill project',
  },
};

export function SignoffForm({
  projectId,
  node,
  record,
  roles,
  template,
  onDone,
  submitLabel,
  onBehalfOf,
  state,
}: {
  projectId: string;
  node: SignableNode;
  record: NodeRecord | undefined;
  /** The caller's roles that sign this node. */
  roles: string[];
  template: Template;
  onDone: (message: string) => void;
  submitLabel?: string;
  /** Delegation: the participant this vote is for (`roles` are theirs). */
  onBehalfOf?: { id: string; name: string };
  /** The project: a gate's metrics (a pilot review's KPIs) show beside the decision. */
  state?: ProjectStateView;
}) {
  const { api } = useSession();
  const [draft, setDraft] = useState<SignoffDraft>(() => initialDraft(node, roles));
  const [key, renewKey] = useIdempotencyKey();
  const submit = useSubmit(() =>
    api('signoff', {
      params: { id: projectId, nodeId: node.id },
      body: {
        ...signoffBody(node, draft, key),
        ...(onBehalfOf && { onBehalfOf: onBehalfOf.id }),
      },
    }),
  );
  const decisions = allowedDecisions(node);
  const criteria = criteriaOf(node);
  const hints = signoffHints(node, draft);
  const errors = submit.error instanceof ApiError ? submit.error.problem.errors : [];
  const patch = (p: Partial<SignoffDraft>) => setDraft((d) => ({ ...d, ...p }));
  const roleName = (key: string) => template.roles.find((r) => r.key === key)?.name ?? key;
  const missing = missingDeliverables(node, record);
  const unready = node.type === 'gate' ? readinessGaps(node, record) : [];
  // The interpreter's own rule: a go on this gate is refused until operations agree.
  const awaitsMetrics = state !== undefined && awaitsMetricsAgreement(node, state);
  const decisionErrors = errorsByKey(errors, ['body', 'decision'])[''];

  const onSubmit = submitHandler(async () => {
    if (await submit.run()) {
      renewKey();
      const forWhom = onBehalfOf ? ` for ${onBehalfOf.name}` : '';
      onDone(`${DECISION_TEXT[draft.decision].label} recorded on “${node.name}”${forWhom}.`);
    }
  });
  const blocked = hints.some((h) => h.blocking);
  return (
    <form
      className="form signoff-form"
      onSubmit={onSubmit}
      data-testid="signoff-form"
      data-node-id={node.id}
    >
      {onBehalfOf && (
        <p className="hint" data-testid="signoff-for">
          You sign for {onBehalfOf.name}, who delegated this to you: the vote counts as theirs.
        </p>
      )}
      {decisions.length > 1 && (
        <fieldset className="decisions">
          <legend>Decision</legend>
          {decisions.map((d) => (
            <label key={d} className={`decision decision-${d}`}>
              <input
                type="radio"
                name={`decision-${node.id}`}
                value={d}
                checked={draft.decision === d}
                onChange={() => patch({ decision: d })}
                data-testid={`signoff-decision-${d}`}
              />
              <span>
                <strong>{DECISION_TEXT[d].label}</strong>
                <small className="muted">{DECISION_TEXT[d].help}</small>
              </span>
            </label>
          ))}
          <FieldErrors messages={decisionErrors} />
        </fieldset>
      )}
      {roles.length > 1 && (
        <div className="field">
          <label htmlFor={`signoff-role-${node.id}`}>Sign as</label>
          <select
            id={`signoff-role-${node.id}`}
            value={draft.role}
            onChange={(e) => patch({ role: e.target.value })}
            data-testid="signoff-role"
          >
            <option value="">Whichever role still needs a vote</option>
            {roles.map((r) => (
              <option key={r} value={r}>
                {roleName(r)}
              </option>
            ))}
          </select>
        </div>
      )}
      {state && <GateMetrics node={node} state={state} template={template} />}
      {draft.decision === 'go' && awaitsMetrics && (
        <p className="hint hint-warn" data-testid="signoff-metrics-not-agreed">
          A go needs operations to agree the project’s metrics first: they are not agreed yet.{' '}
          <a href={hrefOf({ name: 'project', id: projectId, tab: 'benefits' })}>See the metrics</a>
        </p>
      )}
      {draft.decision === 'go' && unready.length > 0 && (
        <p className="hint hint-warn" data-testid="signoff-not-ready">
          A go needs the readiness checklist met: {unready.map((g) => g.message).join('; ')}.
        </p>
      )}
      {draft.decision === 'go' && missing.length > 0 && (
        <p className="hint hint-warn" data-testid="signoff-missing-deliverables">
          A go needs every required deliverable: missing {missing.map((d) => d.name).join(', ')}.
        </p>
      )}
      {criteria.length > 0 && (
        <Scorecard
          criteria={criteria}
          answers={draft.criteria}
          onChange={(criteria) => patch({ criteria })}
          card={scorecard(node, draft.criteria)}
          hints={hints}
          errors={errorsByKey(errors, ['body', 'criteria'])}
        />
      )}
      {draft.decision === 'go' && node.type === 'gate' && (
        <ConditionsEditor
          conditions={draft.conditions}
          onChange={(conditions) => patch({ conditions })}
          roles={template.roles}
          hints={hints}
          errors={errorsByKey(errors, ['body', 'conditions'])}
        />
      )}
      <div className="field">
        <label htmlFor={`signoff-comment-${node.id}`}>
          Comment {draft.decision === 'go' ? '(optional)' : '(optional: say why)'}
        </label>
        <textarea
          id={`signoff-comment-${node.id}`}
          rows={3}
          value={draft.comment}
          onChange={(e) => patch({ comment: e.target.value })}
          data-testid="signoff-comment"
        />
      </div>
      {submit.error !== undefined && (
        <div data-testid="signoff-error">
          <ProblemView error={submit.error} />
        </div>
      )}
      <div className="form-actions">
        <button
          type="submit"
          className={draft.decision === 'kill' ? 'btn btn-danger' : 'btn btn-primary'}
          disabled={submit.pending || blocked}
          data-testid="signoff-submit"
        >
          {submit.pending ? 'Submitting…' : (submitLabel ?? DECISION_TEXT[draft.decision].submit)}
        </button>
      </div>
    </form>
  );
}
