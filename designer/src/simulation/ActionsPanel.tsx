/**
 * What the virtual participants can do now: one button per action (logic/sim-actions.ts),
 * grouped by node, plus the inputs some actions take — the gate scorecard (full marks by
 * default, or your own scores), the hypercare issue to raise, the KPI value to record and the
 * feedback to post (with what the PIR shows of it).
 */
import type { Node as TemplateNode } from '../../../workflows/model';
import { fullMarks } from '../../../workflows/model';
import { availableActions, type SimAction, type SimInputs } from '../logic/sim-actions';
import type { SimSession } from '../logic/simulation';
import { DeliveryInputs } from './DeliveryInputs';
import { FeedbackInputs } from './FeedbackInputs';

export function ActionsPanel({
  session,
  inputs,
  onInputs,
  onAct,
}: {
  session: SimSession;
  inputs: SimInputs;
  onInputs: (inputs: SimInputs) => void;
  onAct: (action: SimAction) => void;
}) {
  const { template, state } = session.machine;
  const actions = availableActions(session, inputs);
  const currentGates = state.current
    .map((id) => template.nodes.find((n) => n.id === id))
    .filter(
      (n): n is Extract<TemplateNode, { type: 'gate' }> =>
        n?.type === 'gate' && (n.criteria?.length ?? 0) > 0,
    );
  const inHypercare = state.current.some(
    (id) => template.nodes.find((n) => n.id === id)?.type === 'hypercare',
  );
  const metrics = template.metrics ?? [];
  const groups = new Map<string, SimAction[]>();
  for (const action of actions) {
    const key = action.nodeId ?? '';
    groups.set(key, [...(groups.get(key) ?? []), action]);
  }

  return (
    <section className="gh-sim-actions" aria-label="Actions" data-testid="sim-actions">
      <h2 className="gh-panel-title">Actions</h2>
      {actions.length === 0 && (
        <p className="gh-muted">The project is {state.status}: nothing left to do.</p>
      )}
      {currentGates.map((gate) => (
        <Scorecard key={gate.id} gate={gate} inputs={inputs} onInputs={onInputs} />
      ))}
      {inHypercare && (
        <fieldset className="gh-section">
          <legend>Issue to raise</legend>
          <label>
            Severity{' '}
            <select
              data-testid="sim-issue-severity"
              value={inputs.issue?.severity ?? 2}
              onChange={(e) =>
                onInputs({
                  ...inputs,
                  issue: {
                    title: inputs.issue?.title ?? 'Issue',
                    severity: Number(e.target.value),
                  },
                })
              }
            >
              <option value={1}>1 (critical)</option>
              <option value={2}>2 (major)</option>
              <option value={3}>3 (minor)</option>
            </select>
          </label>{' '}
          <label>
            Title{' '}
            <input
              data-testid="sim-issue-title"
              value={inputs.issue?.title ?? ''}
              onChange={(e) =>
                onInputs({
                  ...inputs,
                  issue: { severity: inputs.issue?.severity ?? 2, title: e.target.value },
                })
              }
            />
          </label>
        </fieldset>
      )}
      {metrics.length > 0 && state.status === 'active' && (
        <fieldset className="gh-section">
          <legend>KPI reading</legend>
          <label>
            Metric{' '}
            <select
              data-testid="sim-kpi-metric"
              value={inputs.kpi?.metric ?? ''}
              onChange={(e) =>
                onInputs({
                  ...inputs,
                  kpi: { metric: e.target.value, value: inputs.kpi?.value ?? 0 },
                })
              }
            >
              <option value="">—</option>
              {metrics.map((m) => (
                <option key={m.key} value={m.key}>
                  {m.name} (target {m.target}
                  {m.unit ? ` ${m.unit}` : ''})
                </option>
              ))}
            </select>
          </label>{' '}
          <label>
            Value{' '}
            <input
              data-testid="sim-kpi-value"
              type="number"
              size={6}
              value={inputs.kpi?.value ?? ''}
              onChange={(e) =>
                onInputs({
                  ...inputs,
                  kpi: { metric: inputs.kpi?.metric ?? '', value: Number(e.target.value) },
                })
              }
            />
          </label>
        </fieldset>
      )}
      {(state.status === 'active' || state.status === 'on_hold') && (
        <FeedbackInputs session={session} inputs={inputs} onInputs={onInputs} />
      )}
      {/* Where delivery stands stays in view once the project ended (its fields disabled). */}
      <DeliveryInputs session={session} inputs={inputs} onInputs={onInputs} />
      {[...groups].map(([nodeId, list]) => {
        const node = template.nodes.find((n) => n.id === nodeId);
        return (
          <div key={nodeId || 'project'} className="gh-sim-group">
            <h3 className="gh-small">{node ? `${node.name} (${node.type})` : 'Project'}</h3>
            <div className="gh-sim-buttons">
              {list.map((action) => (
                <button
                  key={action.id}
                  type="button"
                  className={`kind-${action.kind}`}
                  data-testid={`sim-action-${action.id}`}
                  onClick={() => onAct(action)}
                >
                  {action.label}
                </button>
              ))}
            </div>
          </div>
        );
      })}
      <details className="gh-sim-people" data-testid="sim-participants">
        <summary>Virtual participants</summary>
        <ul>
          {Object.entries(state.participants).map(([role, users]) => (
            <li key={role}>
              {template.roles.find((r) => r.key === role)?.name ?? role}:{' '}
              <code>{users.join(', ')}</code>
            </li>
          ))}
          <li>
            PMO: <code>{state.startedBy}</code>
          </li>
        </ul>
      </details>
    </section>
  );
}

/** Criterion answers a signer gives with "go": full marks unless changed here. */
function Scorecard({
  gate,
  inputs,
  onInputs,
}: {
  gate: Extract<TemplateNode, { type: 'gate' }>;
  inputs: SimInputs;
  onInputs: (inputs: SimInputs) => void;
}) {
  const answers = inputs.scores?.[gate.id] ?? fullMarks(gate);
  const set = (id: string, value: boolean | number) =>
    onInputs({ ...inputs, scores: { ...inputs.scores, [gate.id]: { ...answers, [id]: value } } });
  return (
    <fieldset className="gh-section" data-testid={`sim-scorecard-${gate.id}`}>
      <legend>Scorecard: {gate.name}</legend>
      {gate.passScore !== undefined && (
        <p className="gh-muted gh-small">
          Pass score {gate.passScore} (weighted should-scores / 10)
        </p>
      )}
      {(gate.criteria ?? []).map((c) => {
        const id = `sim-score-${gate.id}-${c.id}`;
        const value = answers[c.id];
        return (
          <div key={c.id} className="gh-check">
            {c.kind === 'must' ? (
              <input
                id={id}
                type="checkbox"
                data-testid={`sim-score-${c.id}`}
                checked={value === true}
                onChange={(e) => set(c.id, e.target.checked)}
              />
            ) : (
              <input
                id={id}
                type="number"
                min={0}
                max={10}
                size={3}
                data-testid={`sim-score-${c.id}`}
                value={typeof value === 'number' ? value : 0}
                onChange={(e) => set(c.id, Number(e.target.value))}
              />
            )}
            <label htmlFor={id}>
              {c.kind === 'must' ? 'must' : `should ×${c.weight ?? 1}`}: {c.text}
            </label>
          </div>
        );
      })}
    </fieldset>
  );
}
