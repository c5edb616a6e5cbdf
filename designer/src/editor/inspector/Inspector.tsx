/**
 * The inspector: a form for the selected node or edge, or for the template when nothing is
 * selected. Fields carry their template path, so validation errors mark them and a click in
 * the problems panel can focus the exact field (`focus` lists DOM ids to try, best first).
 */
import { useEffect, useMemo, type ReactNode } from 'react';
import type { Template } from '../../../../workflows/model';
import { edgeIdsOf } from '../../logic/canvas';
import { errorIndex, fieldDomId, pathKey, type ErrorPath } from '../../logic/problems';
import type { Selection } from '../useEditor';
import { EdgeForm } from './EdgeForm';
import { Messages, ScopeContext, type Scope } from './fields';
import { NodeForm } from './NodeForm';
import { TemplateForm } from './TemplateForm';

export interface FocusRequest {
  ids: string[];
  /** Changes on every request, so asking twice for the same field focuses it twice. */
  nonce: number;
}

export function Inspector({
  template,
  selection,
  errors,
  edit,
  onDelete,
  focus,
}: {
  template: Template;
  selection: Selection;
  errors: readonly { path: ErrorPath; message: string }[];
  edit: (next: Template, mergeKey?: string) => void;
  onDelete: () => void;
  focus?: FocusRequest;
}) {
  const index = useMemo(() => errorIndex(errors), [errors]);
  useEffect(() => {
    if (!focus) return;
    for (const id of focus.ids) {
      const element = document.getElementById(id);
      if (element) {
        element.focus();
        element.scrollIntoView?.({ block: 'center' });
        return;
      }
    }
  }, [focus]);

  const { nodes, edges } = selection;
  let title: string;
  let scope: Scope;
  let body: ReactNode;
  const nodeIndex =
    nodes.length === 1 && edges.length === 0
      ? template.nodes.findIndex((n) => n.id === nodes[0])
      : -1;
  const edgeIndex =
    edges.length === 1 && nodes.length === 0 ? edgeIdsOf(template.edges).indexOf(edges[0]!) : -1;
  const node = template.nodes[nodeIndex];
  if (node) {
    const base = ['nodes', nodeIndex];
    title = `${node.name || node.id}`;
    scope = { base, testPrefix: '', errors: index, roles: template.roles };
    body = (
      <div id={fieldDomId(base)} tabIndex={-1} key={node.id}>
        <Messages id={`${fieldDomId(base)}-error`} messages={index.get(pathKey(base)) ?? []} />
        <NodeForm template={template} node={node} edit={edit} onDelete={onDelete} />
      </div>
    );
  } else if (edgeIndex >= 0) {
    const base = ['edges', edgeIndex];
    title = 'Edge';
    scope = { base, testPrefix: 'edge.', errors: index, roles: template.roles };
    body = (
      <div id={fieldDomId(base)} tabIndex={-1}>
        <Messages id={`${fieldDomId(base)}-error`} messages={index.get(pathKey(base)) ?? []} />
        <EdgeForm template={template} index={edgeIndex} edit={edit} onDelete={onDelete} />
      </div>
    );
  } else if (nodes.length + edges.length > 1) {
    title = 'Selection';
    scope = { base: [], testPrefix: 'template.', errors: index, roles: template.roles };
    body = (
      <>
        <p>
          {nodes.length} node(s) and {edges.length} edge(s) selected.
        </p>
        <p className="gh-muted gh-small">
          Ctrl/Cmd+C copies the nodes; Delete removes everything selected.
        </p>
        <button
          type="button"
          className="gh-danger"
          data-testid="delete-selection"
          onClick={onDelete}
        >
          Delete selection
        </button>
      </>
    );
  } else {
    title = 'Template';
    scope = { base: [], testPrefix: 'template.', errors: index, roles: template.roles };
    body = (
      <>
        <Messages id="f--error" messages={index.get('') ?? []} />
        <TemplateForm template={template} edit={edit} />
      </>
    );
  }
  return (
    <section className="gh-inspector" aria-label="Inspector" data-testid="inspector">
      <h2 className="gh-panel-title" data-testid="inspector-title">
        {title}
      </h2>
      <ScopeContext.Provider value={scope}>
        <form onSubmit={(e) => e.preventDefault()} noValidate>
          {body}
        </form>
      </ScopeContext.Provider>
    </section>
  );
}
