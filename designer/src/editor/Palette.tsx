/**
 * The palette of node types (SPEC §2). Items are dragged onto the canvas (HTML5 drag and drop);
 * activating one with Enter/Space or a click adds the node in the middle of the view, so the
 * palette works from the keyboard too.
 */
import { NODE_TYPES, type NodeType } from '../../../workflows/model';
import { TYPE_LABELS } from '../logic/edit';
import { DND_TYPE } from './Canvas';

const HINTS: Record<NodeType, string> = {
  stage: 'Work with deliverables; the owner completes it',
  gate: 'Sign-off by quorum: go, recycle, hold or kill',
  hypercare: 'Timed support after handoff; escalates at expiry',
  review: 'Post-implementation review: planned vs actual',
  monitor: 'Periodic KPI reviews until retired',
  notify: 'Sends a message and moves on',
  end: 'Completes, kills or cancels the project',
};

export function Palette({ onAdd }: { onAdd: (type: NodeType) => void }) {
  return (
    <nav className="gh-palette" aria-label="Node palette" data-testid="palette">
      <h2 className="gh-panel-title">Nodes</h2>
      <p className="gh-muted gh-small">Drag onto the canvas, or press Enter to add.</p>
      <ul>
        {NODE_TYPES.map((type) => (
          <li key={type}>
            <button
              type="button"
              draggable
              className={`gh-palette-item gh-node-${type}`}
              data-testid={`palette-${type}`}
              title={HINTS[type]}
              onDragStart={(event) => {
                event.dataTransfer.setData(DND_TYPE, type);
                event.dataTransfer.effectAllowed = 'copy';
              }}
              onClick={() => onAdd(type)}
            >
              {/* The visible text is the name (label in name, WCAG 2.5.3), with the verb. */}
              <span className="gh-palette-name">
                <span className="sr-only">Add </span>
                {TYPE_LABELS[type]}
              </span>
              <span className="gh-palette-hint">{HINTS[type]}</span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
