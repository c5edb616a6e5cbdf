/**
 * Operations agree the project's metrics as they stand (a gate may wait for it). From the inbox
 * or a step's panel the form shows what is agreed, read-only: each metric's baseline and target,
 * the delivery measures, who last set them and when. The metrics panel shows them itself.
 * Either way the form sends the version of the metrics it showed (`metricsChangedAt`): when the
 * PM changed them meanwhile, the server refuses (409 `metrics_changed`), the form says so and
 * shows the new values to agree to.
 */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../api/client';
import type { Template } from '../../../../workflows/model';
import { hrefOf } from '../../shell/routes';
import { useSession } from '../../shell/session';
import { useNameOf } from '../people';
import { metricRows } from '../logic/metrics';
import { formatDateTime } from '../logic/time';
import { DeliveryMeasuresLine, MetricsTable } from '../project/MetricsTable';
import { projectKey } from '../project/useProject';
import type { ProjectStateView } from '../types';
import { useIdempotencyKey, useSubmit } from '../ui/hooks';
import { ActionFormShell } from './SimpleForms';

export function AgreeMetricsForm({
  projectId,
  onDone,
  proposal,
  shown,
}: {
  projectId: string;
  onDone: (message: string) => void;
  /** The project and its template: the metrics to agree show above the comment. */
  proposal?: { state: ProjectStateView; template: Template };
  /** Without a proposal: the project's metrics as the page beside the form shows them. */
  shown?: ProjectStateView['metrics'];
}) {
  const { api } = useSession();
  const client = useQueryClient();
  const [comment, setComment] = useState('');
  const [key] = useIdempotencyKey();
  // The version agreed to is the one on screen now (the project's metrics follow it live).
  const metricsChangedAt = (proposal ? proposal.state.metrics : shown)?.changedAt ?? null;
  const submit = useSubmit(async () => {
    try {
      return await api('agreeMetrics', {
        params: { id: projectId },
        body: {
          ...(comment.trim() && { comment: comment.trim() }),
          metricsChangedAt,
          idempotencyKey: key,
        },
      });
    } catch (error) {
      // Changed since shown: load the new values to review (the refusal stays on show).
      if (error instanceof ApiError && error.problem.code === 'metrics_changed') {
        void client.invalidateQueries({ queryKey: projectKey(projectId) });
      }
      throw error;
    }
  });
  return (
    <ActionFormShell
      onSubmit={async () => {
        const ok = await submit.run();
        if (ok) onDone('Metrics agreed for operations.');
        return ok;
      }}
      error={submit.error}
      testId="agree-metrics-form"
      submit={{ label: 'Agree the metrics', pending: submit.pending }}
    >
      {proposal && <MetricsToAgree {...proposal} />}
      <div className="field">
        <label htmlFor={`agree-metrics-comment-${projectId}`}>Comment (optional)</label>
        <input
          id={`agree-metrics-comment-${projectId}`}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          data-testid="agree-metrics-comment"
        />
      </div>
    </ActionFormShell>
  );
}

/** What operations agree to, as the project holds it now, and who proposed it when. */
function MetricsToAgree({ state, template }: { state: ProjectStateView; template: Template }) {
  const nameOf = useNameOf();
  const own = state.metrics;
  return (
    <div data-testid="agree-metrics-proposal">
      <h3>The metrics you agree to</h3>
      <p className="small" data-testid="agree-metrics-proposed">
        {own
          ? `Last set by ${nameOf(own.changedBy)} on ${formatDateTime(own.changedAt)}.`
          : 'As the template sets them: nobody has changed them for this project yet.'}{' '}
        <a
          href={hrefOf({ name: 'project', id: state.id, tab: 'benefits' })}
          data-testid="agree-metrics-link"
        >
          Open the project’s metrics
        </a>
      </p>
      <MetricsTable rows={metricRows(template, own)} testId="agree-metrics-table" />
      <DeliveryMeasuresLine delivery={own?.delivery} testId="agree-metrics-delivery" />
    </div>
  );
}
