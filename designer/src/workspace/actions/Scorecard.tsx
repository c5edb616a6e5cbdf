/** The gate scorecard: `must` criteria as "met" checkboxes, `should` criteria scored 0..10. */
import type { Criterion, Scorecard as Card } from '../../../../workflows/model';
import { scoreText, type Hint } from '../logic/signoff';
import { FieldErrors } from '../ui/states';

export function Scorecard({
  criteria,
  answers,
  onChange,
  card,
  hints,
  errors,
}: {
  criteria: Criterion[];
  answers: Record<string, boolean | number>;
  onChange: (answers: Record<string, boolean | number>) => void;
  /** Where the answers leave the node's scorecard (the model's `scorecard`). */
  card: Card;
  hints: Hint[];
  errors: Record<string, string[]>;
}) {
  const set = (id: string, value: boolean | number | undefined) => {
    const next = { ...answers };
    if (value === undefined) delete next[id];
    else next[id] = value;
    onChange(next);
  };
  const { score, passScore } = card;
  const below = card.missing.some((gap) => gap.code === 'score_below_pass');
  const hintsFor = (id: string) => hints.filter((h) => h.field === id).map((h) => h.message);
  return (
    <fieldset className="scorecard" data-testid="signoff-scorecard">
      <legend>Scorecard</legend>
      {criteria.map((c) => {
        const id = `criterion-${c.id}`;
        const warnings = hintsFor(c.id);
        const problems = errors[c.id];
        const notes = [...warnings, ...(problems ?? [])];
        if (c.kind === 'must') {
          return (
            <div className="criterion" key={c.id} data-kind="must">
              <label className="check">
                <input
                  type="checkbox"
                  checked={answers[c.id] === true}
                  onChange={(e) => set(c.id, e.target.checked)}
                  aria-describedby={notes.length ? `${id}-notes` : undefined}
                  data-testid={`signoff-criterion-${c.id}`}
                />
                <span>{c.text}</span>
                <span className="tag tag-must">must · met</span>
              </label>
              <Notes id={`${id}-notes`} warnings={warnings} problems={problems} />
            </div>
          );
        }
        const value = answers[c.id];
        const scored = typeof value === 'number';
        return (
          <div className="criterion" key={c.id} data-kind="should">
            <label htmlFor={id}>
              {c.text} <span className="tag">should · weight {c.weight ?? 1}</span>
            </label>
            <div className="score-input">
              <input
                type="range"
                min={0}
                max={10}
                step={1}
                value={scored ? value : 0}
                className={scored ? '' : 'unset'}
                onChange={(e) => set(c.id, Number(e.target.value))}
                aria-label={`${c.text}: score 0 to 10`}
                data-testid={`signoff-criterion-${c.id}-slider`}
              />
              <input
                id={id}
                type="number"
                min={0}
                max={10}
                step={1}
                inputMode="numeric"
                placeholder="0–10"
                value={scored ? value : ''}
                onChange={(e) =>
                  set(
                    c.id,
                    e.target.value === ''
                      ? undefined
                      : Math.min(10, Math.max(0, Number(e.target.value))),
                  )
                }
                aria-describedby={notes.length ? `${id}-notes` : undefined}
                data-testid={`signoff-criterion-${c.id}`}
              />
            </div>
            <Notes id={`${id}-notes`} warnings={warnings} problems={problems} />
          </div>
        );
      })}
      {criteria.some((c) => c.kind === 'should') && (
        <p className="score-summary" data-testid="signoff-score">
          Weighted score <strong>{score === undefined ? '—' : scoreText(score)}</strong>
          {passScore !== undefined && <> · pass score {scoreText(passScore)}</>}
          {score !== undefined && passScore !== undefined && (
            <span className={below ? 'tag tag-bad' : 'tag tag-ok'}>
              {below ? 'below pass' : 'passes'}
            </span>
          )}
        </p>
      )}
      <Notes id="score-notes" warnings={hintsFor('score')} problems={errors['']} />
    </fieldset>
  );
}

/** What a go would be refused for (a warning, before submitting) and what the server said. */
function Notes({
  id,
  warnings,
  problems,
}: {
  id: string;
  warnings: string[];
  problems: string[] | undefined;
}) {
  if (warnings.length === 0 && !problems?.length) return null;
  return (
    <div id={id}>
      {warnings.map((w, i) => (
        <p key={i} className="hint hint-warn">
          {w}
        </p>
      ))}
      <FieldErrors messages={problems} />
    </div>
  );
}
