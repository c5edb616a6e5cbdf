/**
 * Node cards on the canvas, one component per node type (React Flow's `nodeTypes`). A card is
 * a dumb view: its key facts are computed by logic/facts.ts, its marks (errors, start, diff,
 * simulation status) come in `data`. Shared by the designer, the diff view and the simulation.
 */
import { memo, type ComponentType } from 'react';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import type { NodeType } from '../../../workflows/model';
import type { CanvasNodeData, Stands } from '../logic/canvas';
import { TYPE_LABELS } from '../logic/edit';

export type CardData = CanvasNodeData & { facts?: string[] };
export type CardNode = Node<CardData, NodeType>;

/** A one-glyph hint per type, so a card's kind reads before its text. */
const GLYPHS: Record<NodeType, string> = {
  stage: '▭',
  gate: '◆',
  hypercare: '✚',
  review: '☰',
  monitor: '◔',
  notify: '✉',
  end: '■',
};

const STANDS_LABELS: Record<Stands, string> = {
  now: 'the project is here',
  would: 'it would stand here',
  both: 'here now, and would stay',
};

function NodeCard({ data, selected, type }: NodeProps<CardNode>) {
  const { node, errors = 0, start, diff, sim, facts = [], changed, stands } = data;
  const classes = [
    'gh-node',
    `gh-node-${type}`,
    selected && 'is-selected',
    errors > 0 && 'has-errors',
    diff && `diff-${diff}`,
    sim && `sim-${sim}`,
    stands && `stands-${stands}`,
  ].filter(Boolean);
  const title = changed?.length ? `Changed: ${changed.join(', ')}` : undefined;
  return (
    <div
      className={classes.join(' ')}
      title={title}
      data-node-type={type}
      {...(stands && { 'data-stands': stands })}
    >
      <Handle type="target" position={Position.Left} />
      <div className="gh-node-head">
        <span className="gh-node-badge" aria-label={`${TYPE_LABELS[type]} node`}>
          <span aria-hidden="true">{GLYPHS[type]}</span> {TYPE_LABELS[type]}
        </span>
        {start && <span className="gh-node-start">start</span>}
        {errors > 0 && (
          <span className="gh-node-errors" data-testid={`node-errors-${node.id}`}>
            {errors} error{errors === 1 ? '' : 's'}
          </span>
        )}
      </div>
      {/* Clamped to three lines by CSS: the full name shows on hover. */}
      <div className="gh-node-name" title={node.name || undefined}>
        {node.name || <em>unnamed</em>}
      </div>
      <div className="gh-node-id">{node.id}</div>
      {facts.length > 0 && (
        <ul className="gh-node-facts">
          {facts.map((fact) => (
            <li key={fact}>{fact}</li>
          ))}
        </ul>
      )}
      {changed?.length ? <div className="gh-node-changed">Δ {changed.join(', ')}</div> : null}
      {sim && sim !== 'pending' && <div className="gh-node-sim">{sim.replace('_', ' ')}</div>}
      {stands && <div className="gh-node-stands">{STANDS_LABELS[stands]}</div>}
      {/* Nothing leaves an end: without a source handle no edge can even be started. */}
      {type !== 'end' && <Handle type="source" position={Position.Right} />}
    </div>
  );
}

/** A memoised card component for one type: React Flow re-renders only cards whose data changed. */
function cardFor(type: NodeType): ComponentType<NodeProps<CardNode>> {
  const Card = memo((props: NodeProps<CardNode>) => <NodeCard {...props} />);
  Card.displayName = `${type[0]!.toUpperCase()}${type.slice(1)}Node`;
  return Card;
}

/** React Flow's `nodeTypes`: one component per node type of SPEC §2. */
export const nodeTypes: Record<NodeType, ComponentType<NodeProps<CardNode>>> = {
  stage: cardFor('stage'),
  gate: cardFor('gate'),
  hypercare: cardFor('hypercare'),
  review: cardFor('review'),
  monitor: cardFor('monitor'),
  notify: cardFor('notify'),
  end: cardFor('end'),
};
