/**
 * One running simulation: the virtual clock and controls, the graph with the project's
 * position, the actions participants can take now, and the timeline of what happened.
 * All state changes go through logic/simulation.ts, i.e. the workflow's interpreter.
 */
import { useState, type ReactNode } from 'react';
import type { Template } from '../../../workflows/model';
import { happyPathAction, type SimAction, type SimInputs } from '../logic/sim-actions';
import {
  advanceBy,
  advanceToNextDeadline,
  formatInstant,
  runSteps,
  startSimulation,
  upcoming,
  type SimSession,
} from '../logic/simulation';
import { ActionsPanel } from './ActionsPanel';
import { SimGraph } from './SimGraph';
import { Timeline } from './Timeline';

/** Steps "run to end" takes at most: generous for any sane template, bounded for a loop. */
const RUN_LIMIT = 500;

export function SimulationView({
  template,
  label,
  header,
}: {
  template: Template;
  label: string;
  header: ReactNode;
}) {
  const [session, setSession] = useState<SimSession>(() => startSimulation(template));
  const [inputs, setInputs] = useState<SimInputs>(() => {
    const metric = template.metrics?.[0];
    return {
      issue: { severity: 2, title: 'Login fails for some users' },
      ...(metric && { kpi: { metric: metric.key, value: metric.target } }),
    };
  });
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const [amount, setAmount] = useState('P1D');
  const { state } = session.machine;
  const closed = state.status !== 'active' && state.status !== 'on_hold';
  const next = upcoming(session)[0];

  const perform = (action: SimAction) => {
    const result = runSteps(session, action.steps);
    setSession(result.session);
    setNotice(
      result.rejection
        ? { kind: 'error', text: `Refused (${result.rejection.code}): ${result.rejection.message}` }
        : { kind: 'ok', text: action.label },
    );
  };

  /** One move along the happy path; time moves on when nobody can act. */
  const step = (from: SimSession): { session: SimSession; moved: boolean; error?: string } => {
    const action = happyPathAction(from, inputs);
    if (!action) {
      const later = advanceToNextDeadline(from);
      return { session: later, moved: later !== from };
    }
    const result = runSteps(from, action.steps);
    return {
      session: result.session,
      moved: !result.rejection,
      ...(result.rejection && { error: result.rejection.message }),
    };
  };

  const runToEnd = () => {
    let current = session;
    for (let i = 0; i < RUN_LIMIT; i++) {
      const { status } = current.machine.state;
      if (status !== 'active' && status !== 'on_hold') break;
      const result = step(current);
      current = result.session;
      if (!result.moved) {
        setNotice({
          kind: 'error',
          text: result.error ?? 'Stuck: no action and no pending timer.',
        });
        break;
      }
    }
    setSession(current);
  };

  const currentNames = state.current
    .map((id) => template.nodes.find((n) => n.id === id)?.name ?? id)
    .join(', ');

  return (
    <>
      <header className="gh-sim-toolbar">
        {header}
        <span className="gh-muted gh-small">({label})</span>
        <dl className="gh-sim-status">
          <dt>Now</dt>
          <dd data-testid="sim-now">{formatInstant(session.now)}</dd>
          <dt>Status</dt>
          <dd data-testid="sim-status" className={`gh-status is-${state.status}`}>
            {state.status.replace('_', ' ')}
          </dd>
          <dt>At</dt>
          <dd data-testid="sim-current">{currentNames || '—'}</dd>
        </dl>
        <div className="gh-sim-controls">
          <button
            type="button"
            data-testid="sim-step"
            disabled={closed}
            onClick={() => {
              const result = step(session);
              setSession(result.session);
              setNotice(result.error ? { kind: 'error', text: result.error } : undefined);
            }}
          >
            Next step
          </button>
          <button type="button" data-testid="sim-run" disabled={closed} onClick={runToEnd}>
            Run to end
          </button>
          <button
            type="button"
            data-testid="sim-advance-next"
            disabled={closed || !next}
            onClick={() => setSession(advanceToNextDeadline(session))}
            title={next ? `${next.kind} at ${formatInstant(next.at)}` : 'no pending timer'}
          >
            Advance to next deadline
          </button>
          <label>
            by{' '}
            <input
              data-testid="sim-advance-amount"
              aria-label="Advance time by (ISO duration)"
              size={6}
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
            />
          </label>
          <button
            type="button"
            data-testid="sim-advance"
            disabled={closed}
            onClick={() => {
              const later = advanceBy(session, amount);
              if (later) setSession(later);
              else
                setNotice({
                  kind: 'error',
                  text: `"${amount}" is not a positive ISO 8601 duration (e.g. P1D, PT4H).`,
                });
            }}
          >
            Advance
          </button>
          <button
            type="button"
            data-testid="sim-restart"
            onClick={() => {
              setSession(startSimulation(template));
              setNotice(undefined);
            }}
          >
            Restart
          </button>
        </div>
        <div
          role="status"
          aria-live="polite"
          data-testid="sim-notice"
          className={`gh-notice is-${notice?.kind ?? 'info'}`}
        >
          {notice?.text}
        </div>
      </header>
      <div className="gh-sim-body">
        <div className="gh-sim-graph" data-testid="sim-graph">
          <SimGraph session={session} />
        </div>
        <ActionsPanel session={session} inputs={inputs} onInputs={setInputs} onAct={perform} />
        <Timeline session={session} />
      </div>
    </>
  );
}
