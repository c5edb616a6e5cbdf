/** Operations agree the project's metrics as they stand (a gate may wait for it). */
import { useState } from 'react';
import { useSession } from '../../shell/session';
import { useIdempotencyKey, useSubmit } from '../ui/hooks';
import { ActionFormShell } from './SimpleForms';

export function AgreeMetricsForm({
  projectId,
  onDone,
}: {
  projectId: string;
  onDone: (message: string) => void;
}) {
  const { api } = useSession();
  const [comment, setComment] = useState('');
  const [key] = useIdempotencyKey();
  const submit = useSubmit(() =>
    api('agreeMetrics', {
      params: { id: projectId },
      body: { ...(comment.trim() && { comment: comment.trim() }), idempotencyKey: key },
    }),
  );
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
