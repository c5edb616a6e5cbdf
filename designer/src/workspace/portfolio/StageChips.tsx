/**
 * How many open projects are in each node (`GET /api/portfolio/stages`), a row of chips per
 * template above the PMO's portfolio. Choosing a chip lists that stage (its template with
 * it); choosing it again lists the whole template again. A chip counts its node's projects of
 * every version they pin, named as the latest version names it, and says the names older
 * pinned versions give it (the names those projects' rows show).
 */
import { useCallback, useEffect } from 'react';
import { useSession } from '../../shell/session';
import { otherNames, otherNamesText } from '../logic/stage-names';
import { useLoad } from '../ui/hooks';
import { ProblemView } from '../ui/states';

/** How often the counts are fetched again (one request). */
const REFRESH_MS = 10_000;

export function StageChips({
  template,
  stage,
  onPick,
}: {
  template?: string;
  stage?: string;
  /** `stage` absent: the template's projects whatever their stage. */
  onPick: (template: string, stage: string | undefined) => void;
}) {
  const { api } = useSession();
  const counts = useLoad(
    useCallback(
      () => api('portfolioStages', { query: { ...(template && { template }) } }),
      [api, template],
    ),
  );
  const { reload } = counts;
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  if (counts.error !== undefined && counts.data === undefined) {
    return <ProblemView error={counts.error} onRetry={reload} />;
  }
  const templates = counts.data?.templates ?? [];
  // The chosen stage stays on screen (and can be let go) when no open project is left in it.
  const chosenListed = templates.some(
    (t) => t.key === template && t.stages.some((s) => s.id === stage),
  );
  const shown =
    template !== undefined && stage !== undefined && !chosenListed && counts.data !== undefined
      ? [
          ...templates.filter((t) => t.key !== template),
          {
            key: template,
            name: templates.find((t) => t.key === template)?.name ?? template,
            stages: [
              ...(templates.find((t) => t.key === template)?.stages ?? []),
              { id: stage, name: stage, active: 0, onHold: 0, versions: [] },
            ],
          },
        ]
      : templates;
  if (shown.length === 0) return null;
  return (
    <div className="stage-chips" data-testid="stage-chips">
      {shown.map((t) => (
        <div key={t.key} role="group" aria-label={`Open projects per stage of ${t.name}`}>
          <span className="stage-chips-template">{t.name}</span>
          {t.stages.map((s) => {
            const chosen = t.key === template && s.id === stage;
            const total = s.active + s.onHold;
            const others = otherNamesText(otherNames(s));
            return (
              <button
                key={s.id}
                type="button"
                className="stage-chip"
                aria-pressed={chosen}
                onClick={() => onPick(t.key, chosen ? undefined : s.id)}
                data-testid="stage-chip"
                data-template={t.key}
                data-stage={s.id}
                title={
                  chosen
                    ? 'Show every stage again'
                    : `List the ${total} open project(s) in “${s.name}”` +
                      (others && ` (${others})`)
                }
              >
                {s.name} <span className="stage-chip-count">{total}</span>
                {others && (
                  <span className="stage-chip-also" data-testid="stage-chip-also">
                    {others}
                  </span>
                )}
                {s.onHold > 0 && <span className="stage-chip-held">{s.onHold} on hold</span>}
              </button>
            );
          })}
        </div>
      ))}
    </div>
  );
}
