/**
 * Feedback and lessons learned: anyone on the project posts; the stewards acknowledge an item
 * with an owner and close it as acted on or declined with a response; the PIR lists them.
 */
import { useState } from 'react';
import type { FeedbackEntry, ProjectState, Template } from '../../../../workflows/model';
import { nextActions } from '../../../../workflows/lifecycle';
import { useSession } from '../../shell/session';
import { formatDateTime } from '../logic/time';
import { submitHandler, useIdempotencyKey, useSubmit } from '../ui/hooks';
import { Empty, ProblemView } from '../ui/states';
import { useNameOf } from '../people';

type Kind = 'feedback' | 'lesson';
const FILTERS = ['all', 'feedback', 'lesson'] as const;

export function FeedbackTab({
  state,
  template,
  onDone,
}: {
  state: ProjectState;
  template: Template;
  onDone: (message: string) => void;
}) {
  const nameOf = useNameOf();
  const { me } = useSession();
  const answerable = new Set(
    nextActions(state, template, me.id, { pmo: me.pmo === true || me.admin === true })
      .filter((a) => a.action === 'answer-feedback')
      .map((a) => a.itemId),
  );
  const [filter, setFilter] = useState<Kind | 'all'>('all');
  const entries = [...state.feedback]
    .reverse()
    .filter((f) => filter === 'all' || f.kind === filter);
  const nodeName = (id: string) => template.nodes.find((n) => n.id === id)?.name ?? id;
  return (
    <div className="two-col">
      <section className="card" aria-labelledby="feedback-title">
        <div className="panel-head">
          <h2 id="feedback-title">Feedback &amp; lessons</h2>
          <select
            value={filter}
            onChange={(e) => setFilter(FILTERS.find((f) => f === e.target.value) ?? 'all')}
            aria-label="Show"
          >
            <option value="all">All</option>
            <option value="feedback">Feedback</option>
            <option value="lesson">Lessons learned</option>
          </select>
        </div>
        {entries.length === 0 ? (
          <Empty title="Nothing posted yet">
            Share what went well or what to do differently next time.
          </Empty>
        ) : (
          <ul className="feedback-list" data-testid="feedback-list">
            {entries.map((f) => (
              <li key={f.id} data-testid="feedback-entry" data-kind={f.kind}>
                <span className={`badge badge-${f.kind}`}>
                  {f.kind === 'lesson' ? 'lesson' : 'feedback'}
                </span>{' '}
                <span className="muted small">
                  {nameOf(f.by)} · {formatDateTime(f.at)}
                  {f.nodeId && ` · during ${nodeName(f.nodeId)}`}
                </span>
                <p className="pre">{f.text}</p>
                <FeedbackStatusLine entry={f} />
                {answerable.has(f.id) && (
                  <AnswerFeedback projectId={state.id} entry={f} onDone={onDone} />
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <FeedbackForm projectId={state.id} onDone={onDone} />
    </div>
  );
}

function FeedbackForm({
  projectId,
  onDone,
}: {
  projectId: string;
  onDone: (message: string) => void;
}) {
  const { api } = useSession();
  const [kind, setKind] = useState<Kind>('feedback');
  const [text, setText] = useState('');
  const [key, renew] = useIdempotencyKey();
  const submit = useSubmit(() =>
    api('feedback', {
      params: { id: projectId },
      body: { kind, text: text.trim(), idempotencyKey: key },
    }),
  );
  const onSubmit = submitHandler(async () => {
    if (await submit.run()) {
      renew();
      setText('');
      onDone(kind === 'lesson' ? 'Lesson recorded.' : 'Feedback posted.');
    }
  });
  return (
    <section className="card" aria-labelledby="feedback-form-title">
      <h2 id="feedback-form-title">Post</h2>
      <form className="form" onSubmit={onSubmit} data-testid="feedback-form">
        <fieldset className="segmented">
          <legend className="sr-only">Kind</legend>
          {(['feedback', 'lesson'] as const).map((k) => (
            <label key={k}>
              <input
                type="radio"
                name="feedback-kind"
                value={k}
                checked={kind === k}
                onChange={() => setKind(k)}
                data-testid={`feedback-kind-${k}`}
              />
              {k === 'lesson' ? 'Lesson learned' : 'Feedback'}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="feedback-text">
            {kind === 'lesson' ? 'What should the next project know?' : 'Your feedback'}
          </label>
          <textarea
            id="feedback-text"
            rows={4}
            value={text}
            onChange={(e) => setText(e.target.value)}
            data-testid="feedback-text"
          />
        </div>
        <ProblemView error={submit.error} />
        <div className="form-actions">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={submit.pending || text.trim() === ''}
            data-testid="feedback-submit"
          >
            {submit.pending ? 'Posting…' : 'Post'}
          </button>
        </div>
      </form>
    </section>
  );
}

const ANSWERS = ['acknowledged', 'acted_on', 'declined'] as const;

const STATUS_LABELS = {
  open: 'open',
  acknowledged: 'acknowledged',
  acted_on: 'acted on',
  declined: 'declined',
} as const;

function FeedbackStatusLine({ entry }: { entry: FeedbackEntry }) {
  const nameOf = useNameOf();
  const status = entry.status ?? 'open';
  return (
    <p className="small" data-testid="feedback-status" data-status={status}>
      <span className={`badge badge-feedback-${status}`}>{STATUS_LABELS[status]}</span>
      {entry.owner !== undefined && <span className="muted"> · owner {nameOf(entry.owner)}</span>}
      {entry.response !== undefined && <span> — {entry.response}</span>}
    </p>
  );
}

/** Acknowledge (taking it on), or close as acted on or declined, saying what or why. */
function AnswerFeedback({
  projectId,
  entry,
  onDone,
}: {
  projectId: string;
  entry: FeedbackEntry;
  onDone: (message: string) => void;
}) {
  const { api } = useSession();
  const [status, setStatus] = useState<(typeof ANSWERS)[number]>(
    entry.status === 'acknowledged' ? 'acted_on' : 'acknowledged',
  );
  const [response, setResponse] = useState('');
  const [key, renew] = useIdempotencyKey();
  const submit = useSubmit(() =>
    api('setFeedbackStatus', {
      params: { id: projectId, feedbackId: entry.id },
      body: {
        status,
        ...(response.trim() && { response: response.trim() }),
        idempotencyKey: key,
      },
    }),
  );
  const closing = status !== 'acknowledged';
  const onSubmit = submitHandler(async () => {
    if (await submit.run()) {
      renew();
      setResponse('');
      onDone(`Marked ${STATUS_LABELS[status]}.`);
    }
  });
  return (
    <form className="form form-inline" onSubmit={onSubmit} data-testid="feedback-answer-form">
      <div className="field">
        <label htmlFor={`answer-${entry.id}`}>Status</label>
        <select
          id={`answer-${entry.id}`}
          value={status}
          onChange={(e) => setStatus(ANSWERS.find((a) => a === e.target.value) ?? status)}
          data-testid="feedback-answer-status"
        >
          {entry.status !== 'acknowledged' && <option value="acknowledged">Acknowledge</option>}
          <option value="acted_on">Acted on</option>
          <option value="declined">Declined</option>
        </select>
      </div>
      <div className="field grow">
        <label htmlFor={`answer-text-${entry.id}`}>
          {closing ? 'What was done, or why not' : 'Response (optional)'}
        </label>
        <input
          id={`answer-text-${entry.id}`}
          value={response}
          onChange={(e) => setResponse(e.target.value)}
          data-testid="feedback-answer-text"
        />
      </div>
      <ProblemView error={submit.error} />
      <button
        type="submit"
        className="btn"
        disabled={submit.pending || (closing && response.trim() === '')}
        data-testid="feedback-answer-submit"
      >
        {submit.pending ? 'Saving…' : 'Save'}
      </button>
    </form>
  );
}
