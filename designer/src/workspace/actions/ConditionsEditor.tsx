/** Conditional Go: obligations (text, due as ISO duration, owner role) that start when the gate passes. */
import type { Role } from '../../../../workflows/model';
import type { ConditionDraft, Hint } from '../logic/signoff';
import { FieldErrors } from '../ui/states';

const DUE_SUGGESTIONS = ['P7D', 'P14D', 'P30D', 'P3M'];

export function ConditionsEditor({
  conditions,
  onChange,
  roles,
  hints,
  errors,
}: {
  conditions: ConditionDraft[];
  onChange: (conditions: ConditionDraft[]) => void;
  roles: Role[];
  hints: Hint[];
  errors: Record<string, string[]>;
}) {
  const update = (i: number, patch: Partial<ConditionDraft>) =>
    onChange(conditions.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  const notes = (i: number, field: string) => {
    const list = hints.filter((h) => h.field === `conditions.${i}.${field}`).map((h) => h.message);
    return list.length ? list : undefined;
  };
  return (
    <fieldset className="conditions" data-testid="signoff-conditions">
      <legend>Conditions (Conditional Go)</legend>
      <p className="muted small">
        Obligations that start when the gate passes; their owner marks them met before the due date.
      </p>
      <datalist id="condition-due-suggestions">
        {DUE_SUGGESTIONS.map((d) => (
          <option key={d} value={d} />
        ))}
      </datalist>
      {conditions.map((c, i) => (
        <div className="condition-row" key={i} data-index={i}>
          <div className="field grow">
            <label htmlFor={`condition-${i}-text`}>Condition {i + 1}</label>
            <input
              id={`condition-${i}-text`}
              value={c.text}
              onChange={(e) => update(i, { text: e.target.value })}
              data-testid={`signoff-condition-${i}-text`}
            />
            <FieldErrors messages={notes(i, 'text')} />
          </div>
          <div className="field">
            <label htmlFor={`condition-${i}-due`}>Due after</label>
            <input
              id={`condition-${i}-due`}
              value={c.due}
              list="condition-due-suggestions"
              placeholder="P14D"
              className="mono"
              onChange={(e) => update(i, { due: e.target.value })}
              data-testid={`signoff-condition-${i}-due`}
            />
            <FieldErrors messages={notes(i, 'due')} />
          </div>
          <div className="field">
            <label htmlFor={`condition-${i}-owner`}>Owner</label>
            <select
              id={`condition-${i}-owner`}
              value={c.owner}
              onChange={(e) => update(i, { owner: e.target.value })}
              data-testid={`signoff-condition-${i}-owner`}
            >
              <option value="">Choose a role…</option>
              {roles.map((r) => (
                <option key={r.key} value={r.key}>
                  {r.name}
                </option>
              ))}
            </select>
            <FieldErrors messages={notes(i, 'owner')} />
          </div>
          <button
            type="button"
            className="icon-btn"
            aria-label={`Remove condition ${i + 1}`}
            onClick={() => onChange(conditions.filter((_, j) => j !== i))}
            data-testid={`signoff-condition-${i}-remove`}
          >
            ×
          </button>
          <FieldErrors messages={errors[String(i)]} />
        </div>
      ))}
      <button
        type="button"
        className="btn btn-small"
        onClick={() => onChange([...conditions, { text: '', due: 'P14D', owner: '' }])}
        data-testid="signoff-condition-add"
      >
        Add condition
      </button>
    </fieldset>
  );
}
