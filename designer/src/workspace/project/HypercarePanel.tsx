/**
 * Hypercare at a glance: the countdown to expiry, extensions, the escalation ladder, issues
 * (raise, resolve) and, for exit signers, extending and accepting the exit.
 */
import {
  addDuration,
  blocksExit,
  DEFAULT_BLOCKING_SEVERITY,
  issueStandings,
  type IssueStanding,
  type NodeOf,
  type Template,
} from '../../../../workflows/model';
import type { ProjectStateView } from '../types';
import { nextActions } from '../../../../workflows/lifecycle';
import { useSession } from '../../shell/session';
import { SignoffForm } from '../actions/SignoffForm';
import { durationInWords, formatCountdown, formatDateTime, formatSpan } from '../logic/time';
import { Countdown, Due, SeverityBadge } from '../ui/badges';
import {
  AcknowledgeIssue,
  ExtendForm,
  RaiseIssueForm,
  RespondToIssue,
  ResolveIssue,
} from './HypercareForms';
import { useNameOf } from '../people';

export function HypercarePanel({
  node,
  state,
  template,
  now,
  onDone,
}: {
  node: NodeOf<'hypercare'>;
  state: ProjectStateView;
  template: Template;
  now: number;
  onDone: (message: string) => void;
}) {
  const { me } = useSession();
  const nameOf = useNameOf();
  const record = state.nodes[node.id];
  const hc = record?.hypercare;
  if (!record || !hc) return null;
  const blockingSeverity = node.blockingSeverity ?? DEFAULT_BLOCKING_SEVERITY;
  const issues = state.issues.filter((i) => i.nodeId === node.id);
  const open = issues.filter((i) => i.status === 'open').sort((a, b) => a.severity - b.severity);
  const resolved = issues.filter((i) => i.status === 'resolved');
  const blocking = open.filter((i) => blocksExit(i.severity, blockingSeverity));
  const mine = nextActions(state, template, me.id).filter((a) => a.nodeId === node.id);
  const accept = mine.find((a) => a.action === 'accept-hypercare');
  const canExtend = mine.some((a) => a.action === 'extend-hypercare');
  const signed = record.votes.some((v) => v.userId === me.id);
  const roleName = (key: string) => template.roles.find((r) => r.key === key)?.name ?? key;
  const standing = new Map(issueStandings(issues, now).map((r) => [r.id, r]));
  const offered = (action: string, issueId: string) =>
    mine.some((a) => a.action === action && a.itemId === issueId);

  return (
    <section
      className="card hypercare"
      // Not the heading alone: the step panel beside it is named after the same node.
      aria-label={`Hypercare clock and issues: ${node.name}`}
      data-testid="hypercare-panel"
      data-phase={hc.phase}
      data-notice-region="hypercare"
    >
      <div className="panel-head">
        <div>
          <span className="eyebrow">Hypercare</span>
          <h2 id="hypercare-title">{node.name}</h2>
        </div>
        <div className="hypercare-clock" data-testid="hypercare-countdown">
          {hc.phase === 'running' ? (
            <>
              <span className="muted small">ends</span>
              <strong>
                <Countdown at={hc.expiresAt} now={now} />
              </strong>
            </>
          ) : (
            <>
              <span className="badge badge-on_hold">awaiting exit sign-off</span>
              <span className="muted small">
                expired {formatCountdown(hc.expiredAt ?? hc.expiresAt, now)}
              </span>
            </>
          )}
        </div>
      </div>
      <dl className="facts">
        <div>
          <dt>Expires</dt>
          <dd>{formatDateTime(hc.expiresAt)}</dd>
        </div>
        <div>
          <dt>Extensions</dt>
          <dd data-testid="hypercare-extensions">
            {hc.extensions} of {node.maxExtensions ?? 0} used
            {node.extendBy ? ` (by ${durationInWords(node.extendBy)})` : ''}
          </dd>
        </div>
        <div>
          <dt>Blocking</dt>
          <dd>severity ≤ {blockingSeverity} (1 = critical)</dd>
        </div>
        <div>
          <dt>Exit by</dt>
          <dd>{node.exit.rules.map((r) => `${r.min} × ${roleName(r.role)}`).join(', ')}</dd>
        </div>
      </dl>
      <div className="block">
        <h3>Escalations</h3>
        <ol className="ladder" data-testid="hypercare-escalations">
          {node.escalation.map((level, i) => {
            const fired = hc.escalated.includes(i);
            const at =
              hc.expiredAt !== undefined ? addDuration(hc.expiredAt, level.after) : undefined;
            return (
              <li key={i} className={fired ? 'fired' : ''} data-fired={fired}>
                <strong>Level {i + 1}</strong> → {level.notify.map(roleName).join(', ')}{' '}
                <span className="muted small">
                  {fired
                    ? 'fired'
                    : at !== undefined
                      ? `fires ${formatCountdown(at, now)}`
                      : afterExpiry(level.after)}
                </span>
              </li>
            );
          })}
        </ol>
      </div>
      <div className="block">
        <h3>
          Open issues <span className="count-pill">{open.length}</span>
          {blocking.length > 0 && (
            <span className="tag tag-bad">{blocking.length} blocking the exit</span>
          )}
        </h3>
        {open.length === 0 ? (
          <p className="muted">No open issues.</p>
        ) : (
          <ul className="issues" data-testid="hypercare-open-issues">
            {open.map((i) => (
              <li
                key={i.id}
                data-testid="hypercare-issue"
                data-issue-id={i.id}
                data-severity={i.severity}
              >
                <SeverityBadge severity={i.severity} /> <strong>{i.title}</strong>
                <span className="muted small">
                  {' '}
                  · {nameOf(i.raisedBy)} · {formatDateTime(i.raisedAt)}
                </span>
                <IssueClock
                  row={standing.get(i.id)}
                  now={now}
                  takenBy={i.acknowledgedBy && nameOf(i.acknowledgedBy)}
                />
                {i.response !== undefined && (
                  <p className="small" data-testid="issue-response">
                    {nameOf(i.respondedBy ?? '?')}: {i.response}
                  </p>
                )}
                {offered('acknowledge-issue', i.id) && (
                  <AcknowledgeIssue projectId={state.id} issue={i} onDone={onDone} />
                )}
                {offered('respond-issue', i.id) && (
                  <RespondToIssue projectId={state.id} issue={i} onDone={onDone} />
                )}
                <ResolveIssue projectId={state.id} issue={i} onDone={onDone} />
              </li>
            ))}
          </ul>
        )}
        {resolved.length > 0 && (
          <details>
            <summary>{resolved.length} resolved</summary>
            <ul className="issues resolved">
              {resolved.map((i) => (
                <li key={i.id}>
                  <SeverityBadge severity={i.severity} /> {i.title}
                  <span className="muted small">
                    {' '}
                    · resolved by {nameOf(i.resolvedBy ?? '?')}
                    {i.resolvedAt !== undefined && ` ${formatDateTime(i.resolvedAt)}`}
                    {i.note && ` — ${i.note}`}
                  </span>
                </li>
              ))}
            </ul>
          </details>
        )}
        <RaiseIssueForm projectId={state.id} blockingSeverity={blockingSeverity} onDone={onDone} />
      </div>
      {(accept !== undefined || canExtend || signed) && (
        <div className="block your-turn">
          <h3>Exit signer</h3>
          {canExtend && node.extendBy && (
            <ExtendForm projectId={state.id} extendBy={node.extendBy} onDone={onDone} />
          )}
          {signed ? (
            <p className="muted">You accepted the exit; waiting for the other signers.</p>
          ) : hc.phase === 'running' && blocking.length > 0 ? (
            <p className="muted">Early exit is possible once no blocking issue is open.</p>
          ) : accept === undefined ? null : (
            <SignoffForm
              projectId={state.id}
              node={node}
              record={record}
              roles={accept.roles}
              template={template}
              onDone={onDone}
              submitLabel={
                hc.phase === 'running' ? 'End hypercare early' : 'Accept and end hypercare'
              }
            />
          )}
        </div>
      )}
    </section>
  );
}

/** An open issue's age and its response and resolution times, late ones marked. */
function IssueClock({
  row,
  now,
  takenBy,
}: {
  row: IssueStanding | undefined;
  now: number;
  takenBy: string | undefined;
}) {
  if (!row) return null;
  return (
    <span className="muted small" data-testid="issue-age" data-age-ms={row.ageMs}>
      {' '}
      · open for {formatSpan(row.ageMs)}
      {takenBy !== undefined ? (
        <> · taken on by {takenBy}</>
      ) : (
        row.respondBy !== undefined && (
          <span className={row.responseLate ? 'tag tag-bad' : ''} data-testid="issue-respond-by">
            {' '}
            · response <Due at={row.respondBy} now={now} phrase />
          </span>
        )
      )}
      {row.resolveBy !== undefined && (
        <span className={row.resolutionLate ? 'tag tag-bad' : ''} data-testid="issue-resolve-by">
          {' '}
          · resolution <Due at={row.resolveBy} now={now} phrase />
        </span>
      )}
    </span>
  );
}

/** When an escalation level fires, before hypercare has expired: "at expiry", "3 days after". */
function afterExpiry(after: string): string {
  const words = durationInWords(after);
  return words === 'no time' ? 'at expiry' : `${words} after expiry`;
}
