/**
 * The inspector for one node: its common fields (id, name, description, owner), its type's
 * form, and its outgoing edges — which can also be added here, a keyboard alternative to
 * dragging a connection on the canvas.
 */
import { useState } from 'react';
import type { Node as TemplateNode, Outcome, Template } from '../../../../workflows/model';
import {
  availableOutcomes,
  edgeIndex,
  outcomeChoices,
  updateEdge,
  connect,
} from '../../logic/edges';
import { edgeIdsOf } from '../../logic/canvas';
import { TYPE_LABELS, nodeIdProblem, renameNode, updateNode, withField } from '../../logic/edit';
import { RenameField, RoleChecks, RoleSelect, TextField } from './fields';
import {
  EndForm,
  GateForm,
  HypercareForm,
  MonitorForm,
  NotifyForm,
  ReviewForm,
  StageForm,
} from './type-forms';

export interface NodeFormProps {
  template: Template;
  node: TemplateNode;
  edit: (next: Template, mergeKey?: string) => void;
  onDelete: () => void;
}

export function NodeForm({ template, node, edit, onDelete }: NodeFormProps) {
  const editNode = (next: TemplateNode, key?: string) =>
    edit(updateNode(template, node.id, next), key && `node:${node.id}:${key}`);
  return (
    <>
      <IdField template={template} node={node} edit={edit} />
      <p className="gh-muted gh-small">
        Type: <strong>{TYPE_LABELS[node.type]}</strong>
        {template.start === node.id ? ' · start node' : ''}
      </p>
      <TextField
        rel={['name']}
        label="Name"
        value={node.name}
        onChange={(name) => editNode({ ...node, name }, 'name')}
      />
      <TextField
        rel={['description']}
        label="Description"
        multiline
        value={node.description ?? ''}
        onChange={(d) => editNode(withField(node, 'description', d || undefined), 'description')}
      />
      <RoleSelect
        rel={['owner']}
        label="Owner"
        empty="no owner"
        hint="acts on the node; is notified first"
        value={node.owner}
        onChange={(owner) => editNode(withField(node, 'owner', owner))}
      />
      {node.type !== 'end' && (
        <RoleChecks
          rel={['owners']}
          label="Joint owners"
          hint="own the node with the owner: may do what it does, told what it is told"
          value={node.owners ?? []}
          onChange={(owners) =>
            editNode(withField(node, 'owners', owners.length ? owners : undefined))
          }
        />
      )}
      {node.type === 'stage' && <StageForm node={node} edit={editNode} />}
      {node.type === 'gate' && (
        <GateForm node={node} edit={editNode} metrics={template.metrics ?? []} />
      )}
      {node.type === 'hypercare' && <HypercareForm node={node} edit={editNode} />}
      {node.type === 'review' && (
        <ReviewForm node={node} edit={editNode} metrics={template.metrics ?? []} />
      )}
      {node.type === 'monitor' && <MonitorForm node={node} edit={editNode} />}
      {node.type === 'notify' && <NotifyForm node={node} edit={editNode} />}
      {node.type === 'end' && <EndForm node={node} edit={editNode} />}
      <OutgoingEdges template={template} node={node} edit={edit} />
      <div className="gh-actions">
        {template.start !== node.id && (
          <button
            type="button"
            data-testid="make-start"
            onClick={() => edit({ ...template, start: node.id })}
          >
            Make start node
          </button>
        )}
        <button type="button" className="gh-danger" data-testid="delete-node" onClick={onDelete}>
          Delete node
        </button>
      </div>
    </>
  );
}

/** Renaming changes edges, start and layout too, so it is applied on Enter/blur when valid. */
function IdField({ template, node, edit }: Pick<NodeFormProps, 'template' | 'node' | 'edit'>) {
  return (
    <RenameField
      rel={['id']}
      label="Id"
      value={node.id}
      problem={(text) => nodeIdProblem(template, node.id, text)}
      onRename={(text) => edit(renameNode(template, node.id, text))}
    />
  );
}

function OutgoingEdges({
  template,
  node,
  edit,
}: Pick<NodeFormProps, 'template' | 'node' | 'edit'>) {
  const ids = edgeIdsOf(template.edges);
  const outgoing = template.edges
    .map((e, i) => ({ edge: e, id: ids[i]! }))
    .filter(({ edge }) => edge.from === node.id);
  const free = availableOutcomes(template, node.id);
  const [on, setOn] = useState<Outcome | ''>('');
  const [to, setTo] = useState('');
  const chosenOn = on && free.includes(on) ? on : (free[0] ?? '');
  const targets = template.nodes.filter((n) => n.id !== node.id || chosenOn === 'recycle');
  const chosenTo = targets.some((n) => n.id === to) ? to : (targets[0]?.id ?? '');
  if (node.type === 'end')
    return <p className="gh-muted gh-small">An end has no outgoing edges.</p>;
  return (
    <fieldset className="gh-section">
      <legend>Outgoing edges</legend>
      {outgoing.length === 0 && <p className="gh-muted gh-small">None yet.</p>}
      <ul className="gh-edge-list">
        {outgoing.map(({ edge, id }) => {
          const index = edgeIndex(template, id);
          return (
            <li key={id}>
              <select
                aria-label={`Outcome of edge to ${edge.to}`}
                value={edge.on}
                onChange={(e) =>
                  edit(updateEdge(template, index, { on: e.target.value as Outcome }))
                }
              >
                {outcomeChoices(template, index).map((o) => (
                  <option key={o}>{o}</option>
                ))}
              </select>
              <span aria-hidden="true"> → </span>
              <select
                aria-label={`Target of the ${edge.on} edge`}
                value={edge.to}
                onChange={(e) => edit(updateEdge(template, index, { to: e.target.value }))}
              >
                {template.nodes.map((n) => (
                  <option key={n.id} value={n.id}>
                    {n.name || n.id}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="gh-remove"
                aria-label={`Remove the ${edge.on} edge`}
                onClick={() =>
                  edit({ ...template, edges: template.edges.filter((_, i) => i !== index) })
                }
              >
                ×
              </button>
            </li>
          );
        })}
      </ul>
      {free.length > 0 ? (
        <div className="gh-edge-add">
          <label>
            On{' '}
            <select
              data-testid="edge-add-outcome"
              value={chosenOn}
              onChange={(e) => setOn(e.target.value as Outcome)}
            >
              {free.map((o) => (
                <option key={o}>{o}</option>
              ))}
            </select>
          </label>
          <label>
            to{' '}
            <select
              data-testid="edge-add-target"
              value={chosenTo}
              onChange={(e) => setTo(e.target.value)}
            >
              {targets.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.name || n.id}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            data-testid="edge-add"
            disabled={!chosenOn || !chosenTo}
            onClick={() => {
              const result = chosenOn && connect(template, node.id, chosenTo, chosenOn);
              if (result && result.ok) edit(result.template);
            }}
          >
            Add edge
          </button>
        </div>
      ) : (
        <p className="gh-muted gh-small">Every outcome this node produces has an edge.</p>
      )}
    </fieldset>
  );
}
