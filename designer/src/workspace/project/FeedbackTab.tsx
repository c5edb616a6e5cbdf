/**
 * Feedback and lessons learned: anyone on the project posts; the stewards acknowledge an item
 * with an owner and close it as acted on or declined with a response; the PIR lists them. The
 * same answer form is the inbox's (and the node panel's) for an `answer-feedback` item.
 */
import { useState } from 'react';
import type { FeedbackEntry, Template } from '../../../../workflows/model';
import type { ProjectStateView } from '../types';
import { nextActions } from '../../../../workflows/lifecycle';
import { useSession } from '../../shell/session';
import { formatDateTime } from '../logic/time';
import { submitHandler, useIdempotencyKey, useSubmit, useTextAction } from '../ui/hooks';
import { DisabledWhy, Empty, ProblemView, whyProps } from '../ui/states';
import { useNameOf } from '../people';

type Kind = 'feedback' | 'lesson';
const FILTERS = ['all', 'feedback', 'lesson'] as const;

export function FeedbackTab({
  state,
  template,
  onDone,
}: {
  state: ProjectStateView;
  template: Template;
  onDone: (message: string) => void;
}) {
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
  return (
    <div className="two-col" data-notice-region="feedback">
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
                <FeedbackSummary entry={f} template={template} />
                {answerable.has(f.id) && (
                  <AnswerFeedback
                    key={f.status ?? 'open'}
                    state={state}
                    entry={f}
                    onDone={onDone}
                  />
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
  const { text, setText, submit, onSubmit } = useTextAction(
    (text, idempotencyKey) =>
      api('feedback', { params: { id: projectId }, body: { kind, text, idempotencyKey } }),
    () => onDone(kind === 'lesson' ? 'Lesson recorded.' : 'Feedback posted.'),
  );
  const postWhy =
    !submit.pending && text.trim() === ''
      ? `Write the ${kind === 'lesson' ? 'lesson' : 'feedback'} first.`
      : undefined;
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
            {...whyProps('feedback-why', postWhy)}
            data-testid="feedback-submit"
          >
            {submit.pending ? 'Posting…' : 'Post'}
          </button>
          <DisabledWhy id="feedback-why" why={postWhy} />
        </div>
      </form>
    </section>
  );
}

/**
 * One item to answer (an inbox or "your turn" `answer-feedback` action): what was posted, where
 * it stands, and the answer form. Nothing when the project no longer lists the item.
 */
export function FeedbackToAnswer({
  state,
  template,
  feedbackId,
  onDone,
}: {
  state: ProjectStateView;
  template: Template;
  feedbackId: string | undefined;
  onDone: (message: string) => void;
}) {
  const entry = state.feedback.find((f) => f.id === feedbackId);
  if (!entry) return <p className="muted">This item is no longer listed.</p>;
  return (
    <div data-testid="feedback-to-answer" data-kind={entry.kind}>
      <FeedbackSummary entry={entry} template={template} />
      {/* A new status (the state fetched again) starts the form afresh: its choices differ. */}
      <AnswerFeedback key={entry.status ?? 'open'} state={state} entry={entry} onDone={onDone} />
    </div>
  );
}

/** What was posted: its kind, who posted it when and where, its text and where it stands. */
function FeedbackSummary({ entry, template }: { entry: FeedbackEntry; template: Template }) {
  const nameOf = useNameOf();
  const node = template.nodes.find((n) => n.id === entry.nodeId);
  return (
    <>
      <span className={`badge badge-${entry.kind}`}>
        {entry.kind === 'lesson' ? 'lesson' : 'feedback'}
      </span>{' '}
      <span className="muted small">
        {nameOf(entry.by)} · {formatDateTime(entry.at)}
        {entry.nodeId && ` · during ${node?.name ?? entry.nodeId}`}
      </span>
      <p className="pre" data-testid="feedback-text-shown">
        {entry.text}
      </p>
      <FeedbackStatusLine entry={entry} />
    </>
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

/**
 * Acknowledge (taking it on, for yourself or another participant: the owner, whose inbox it is
 * in until closed), or close as acted on or declined, saying what or why.
 */
function AnswerFeedback({
  state,
  entry,
  onDone,
}: {
  state: ProjectStateView;
  entry: FeedbackEntry;
  onDone: (message: string) => void;
}) {
  const { api, me } = useSession();
  const nameOf = useNameOf();
  const [status, setStatus] = useState<(typeof ANSWERS)[number]>(
    entry.status === 'acknowledged' ? 'acted_on' : 'acknowledged',
  );
  const [response, setResponse] = useState('');
  const people = [...new Set(Object.values(state.participants).flat())];
  // '' is the caller (the PMO, who takes no part, answering for the project).
  const [owner, setOwner] = useState(entry.owner ?? (people.includes(me.id) ? me.id : ''));
  const [key, renew] = useIdempotencyKey();
  const acknowledging = status === 'acknowledged';
  const submit = useSubmit(() =>
    api('setFeedbackStatus', {
      params: { id: state.id, feedbackId: entry.id },
      body: {
        status,
        ...(response.trim() && { response: response.trim() }),
        ...(acknowledging && owner && { owner }),
        idempotencyKey: key,
      },
    }),
  );
  const answerWhy =
    !submit.pending && !acknowledging && response.trim() === ''
      ? 'Say what was done, or why not, first.'
      : undefined;
  const onSubmit = submitHandler(async () => {
    if (await submit.run()) {
      renew();
      setResponse('');
      onDone(
        acknowledging
          ? `Acknowledged; owner ${owner === me.id || owner === '' ? 'you' : nameOf(owner)}.`
          : `Marked ${STATUS_LABELS[status]}.`,
      );
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
      {acknowledging && (
        <div className="field">
          <label htmlFor={`answer-owner-${entry.id}`}>Owner</label>
          <select
            id={`answer-owner-${entry.id}`}
            value={owner}
            onChange={(e) => setOwner(e.target.value)}
            data-testid="feedback-answer-owner"
          >
            {!people.includes(me.id) && <option value="">You</option>}
            {people.map((p) => (
              <option key={p} value={p}>
                {p === me.id ? `${nameOf(p)} (you)` : nameOf(p)}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="field grow">
        <label htmlFor={`answer-text-${entry.id}`}>
          {acknowledging ? 'Response (optional)' : 'What was done, or why not'}
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
        disabled={submit.pending || answerWhy !== undefined}
        {...whyProps(`answer-why-${entry.id}`, answerWhy)}
        data-testid="feedback-answer-submit"
      >
        {submit.pending ? 'Saving…' : 'Save'}
      </button>
      <DisabledWhy id={`answer-why-${entry.id}`} why={answerWhy} />
    </form>
  );
}
