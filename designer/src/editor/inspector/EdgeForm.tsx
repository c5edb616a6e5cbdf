/** The inspector for one edge: its outcome (only free ones are offered) and its target. */
import type { Outcome, Template } from '../../../../workflows/model';
import { outcomeChoices, updateEdge } from '../../logic/edges';
import { SelectField } from './fields';

export function EdgeForm({
  template,
  index,
  edit,
  onDelete,
}: {
  template: Template;
  index: number;
  edit: (next: Template) => void;
  onDelete: () => void;
}) {
  const edge = template.edges[index];
  if (!edge) return null;
  const source = template.nodes.find((n) => n.id === edge.from);
  return (
    <>
      <p>
        From <strong>{source?.name ?? edge.from}</strong>
      </p>
      <SelectField
        rel={['on']}
        label="Outcome"
        hint="outcomes the source produces and no other edge uses"
        options={outcomeChoices(template, index).map((o) => ({ value: o, label: o }))}
        value={edge.on}
        onChange={(on) => on && edit(updateEdge(template, index, { on: on as Outcome }))}
      />
      <SelectField
        rel={['to']}
        label="Target"
        options={template.nodes.map((n) => ({ value: n.id, label: n.name || n.id }))}
        value={edge.to}
        onChange={(to) => to && edit(updateEdge(template, index, { to }))}
      />
      <div className="gh-actions">
        <button type="button" className="gh-danger" data-testid="delete-edge" onClick={onDelete}>
          Delete edge
        </button>
      </div>
    </>
  );
}
