/** One thing the user must act on; expanding it loads the project and shows the matching form. */
import { useId } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { hrefOf } from '../../shell/routes';
import { ActionForm, ACTION_LABELS } from '../actions/ActionForm';
import { ProjectPeople } from '../people';
import { projectKey, useProject } from '../project/useProject';
import type { PendingAction } from '../types';
import { Due, SeverityBadge } from '../ui/badges';
import { Loading, ProblemView } from '../ui/states';

export const itemKey = (a: PendingAction) =>
  [a.action, a.projectId, a.nodeId, a.itemId ?? '', a.onBehalfOf?.id ?? ''].join(':');

export function InboxItemCard({
  item,
  expanded,
  onToggle,
  done,
  onDone,
  now,
}: {
  item: PendingAction;
  expanded: boolean;
  onToggle: () => void;
  /** Set once acted on here, until the inbox reloads without it. */
  done: string | undefined;
  onDone: (message: string) => void;
  now: number;
}) {
  const panelId = useId();
  return (
    <li
      className={`card inbox-item${done ? ' is-done' : ''}`}
      data-testid="inbox-item"
      data-action={item.action}
      data-project-id={item.projectId}
      data-node-id={item.nodeId}
      data-item-id={item.itemId}
      data-on-behalf-of={item.onBehalfOf?.id}
    >
      <div className="inbox-item-head">
        <span className={`badge badge-action badge-action-${item.action}`}>
          {ACTION_LABELS[item.action]}
        </span>
        <div className="inbox-item-title">
          {/* Each item a heading under the inbox's: the open form's sections follow it. */}
          <h2 className="inbox-item-name">
            <strong>{item.nodeName}</strong>
            {item.issue && (
              <span
                data-testid="inbox-item-issue"
                data-severity={item.issue.severity}
                data-blocks-exit={item.issue.blocksExit}
              >
                {' · '}
                {/* The project page's words: "S1 Critical", "blocking the exit". */}
                <SeverityBadge severity={item.issue.severity} />
                {item.issue.blocksExit && (
                  <>
                    {' '}
                    <span className="tag tag-bad">blocks the exit</span>
                  </>
                )}
              </span>
            )}
            {item.detail && (
              <span className="inbox-item-detail" data-testid="inbox-item-detail">
                {' · '}
                {detailOf(item)}
              </span>
            )}
          </h2>
          {item.feedback && (
            <div className="small" data-testid="inbox-item-feedback" data-kind={item.feedback.kind}>
              <span className={`badge badge-${item.feedback.kind}`}>{item.feedback.kind}</span> “
              {excerpt(item.feedback.text)}”
            </div>
          )}
          <div className="muted small">
            <a
              href={hrefOf({
                name: 'project',
                id: item.projectId,
                tab: 'overview',
                node: item.nodeId,
              })}
            >
              {item.projectName}
            </a>
            {' · '}
            {/* The roles by their names in the project's template; the keys for programs. */}
            <span data-testid="inbox-item-roles" data-roles={item.roles.join(' ')}>
              as {item.roleNames.join(', ')}
            </span>
            {item.onBehalfOf && (
              <>
                {' '}
                <span className="tag tag-ops" data-testid="inbox-item-for">
                  for {item.onBehalfOf.name}
                </span>
              </>
            )}
          </div>
        </div>
        {item.dueAt !== undefined && (
          <span className="small">
            <Due at={item.dueAt} now={now} testId="inbox-item-due" phrase />
          </span>
        )}
        {done ? (
          <span className="tag tag-ok" role="status">
            ✓ {done}
          </span>
        ) : (
          <button
            type="button"
            className={expanded ? 'btn' : 'btn btn-primary'}
            aria-expanded={expanded}
            aria-controls={panelId}
            onClick={onToggle}
            data-testid="inbox-item-toggle"
          >
            {expanded ? 'Close' : ACTION_LABELS[item.action]}
          </button>
        )}
      </div>
      {expanded && !done && (
        <div id={panelId} className="inbox-item-body">
          <ItemForm item={item} onDone={onDone} />
        </div>
      )}
    </li>
  );
}

/**
 * The item's detail as the card shows it: a feedback item's is where it stands (its kind and
 * text follow); every other action's names its deliverable, condition or issue.
 */
function detailOf(item: PendingAction): string | undefined {
  if (item.action !== 'answer-feedback') return item.detail;
  return item.detail === 'acknowledged' ? 'acknowledged, yours to close' : 'open, not yet answered';
}

/** The start of a long text, for a card (the whole text shows with the form). */
const excerpt = (text: string) => (text.length > 200 ? `${text.slice(0, 199)}…` : text);

/**
 * The open item's form, on the project as it stands: the project's event stream keeps it live
 * while the form is open, so what it shows (the metrics to agree, what a go still waits for)
 * is what the server will judge.
 */
function ItemForm({ item, onDone }: { item: PendingAction; onDone: (message: string) => void }) {
  const client = useQueryClient();
  const { project, template, error, refresh } = useProject(item.projectId);
  if (error !== undefined) return <ProblemView error={error} onRetry={refresh} />;
  if (!project) return <Loading what="Loading the project" />;
  if (template.error !== undefined && !template.loading)
    return <ProblemView error={template.error} />;
  if (!template.data) return <Loading what="Loading the template" />;
  // The project's people name whoever a form mentions (who proposed the metrics, say).
  return (
    <ProjectPeople projectId={item.projectId}>
      <ActionForm
        action={item}
        state={project}
        template={template.data.template}
        onDone={(message) => {
          // The project moved: an item still listed (feedback taken on, a recurring review)
          // opens on its new state, not on the one cached before.
          void client.invalidateQueries({ queryKey: projectKey(item.projectId) });
          onDone(message);
        }}
      />
    </ProjectPeople>
  );
}
