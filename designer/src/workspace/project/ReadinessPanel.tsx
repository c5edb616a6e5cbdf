/**
 * A gate's readiness checklist as it stands: each affected group's ADKAR stage against the
 * stage it needs, training coverage per role against its minimum, the support model and who
 * confirmed it. The gaps are what a `go` still waits for (the same `readinessOf` the workflow
 * asks).
 */
import {
  ADKAR_STAGES,
  readinessOf,
  type NodeOf,
  type NodeRecord,
} from '../../../../workflows/model';
import { coveragePercent, minPercent } from '../logic/readiness';
import { formatDateTime } from '../logic/time';

export function ReadinessPanel({
  node,
  record,
  nameOf,
  roleName,
}: {
  node: NodeOf<'gate'>;
  record: NodeRecord | undefined;
  nameOf: (userId: string) => string;
  roleName: (role: string) => string;
}) {
  const view = readinessOf(node, record);
  if (!view) return null;
  const support = view.supportModel;
  return (
    <div className="block" data-testid="readiness-panel" data-ready={view.ready}>
      <h3>
        Readiness{' '}
        <span className={view.ready ? 'small' : 'muted small'} data-testid="readiness-state">
          {view.ready ? 'ready for a go' : `${view.gaps.length} open`}
        </span>
      </h3>
      {view.groups.length > 0 && (
        <table className="table" data-testid="readiness-groups">
          <thead>
            <tr>
              <th>Affected group</th>
              <th>ADKAR stage</th>
              <th>Needed</th>
            </tr>
          </thead>
          <tbody>
            {view.groups.map((g) => (
              <tr key={g.key} data-group={g.key} data-met={g.met}>
                <td>{g.name}</td>
                <td>
                  {g.stage ? `${ADKAR_STAGES.indexOf(g.stage) + 1}. ${g.stage}` : 'not recorded'}
                  {g.met ? ' ✓' : ' ✗'}
                </td>
                <td>{g.required}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {view.training.length > 0 && (
        <table className="table" data-testid="readiness-training">
          <thead>
            <tr>
              <th>Role trained</th>
              <th>Trained</th>
              <th>Needed</th>
            </tr>
          </thead>
          <tbody>
            {view.training.map((t) => (
              <tr key={t.key} data-role={t.key} data-met={t.met}>
                <td>{t.name}</td>
                <td>
                  {t.coverage !== undefined && t.trained !== undefined && t.total !== undefined
                    ? `${t.trained} / ${t.total} (${coveragePercent(t.trained, t.total)})`
                    : 'not counted'}
                  {t.met ? ' ✓' : ' ✗'}
                </td>
                <td>≥ {minPercent(t.min)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {support && (
        <p data-testid="readiness-support" data-met={support.inPlace === true}>
          Support model:{' '}
          {support.by === undefined ? (
            <span className="muted">not confirmed by operations yet ✗</span>
          ) : (
            <>
              <strong>{support.inPlace ? 'in place ✓' : 'not in place ✗'}</strong>{' '}
              <span className="muted small">
                confirmed by {nameOf(support.by)} ({roleName(support.role ?? '')}) on{' '}
                {formatDateTime(support.at ?? 0)}
              </span>
            </>
          )}
        </p>
      )}
    </div>
  );
}
