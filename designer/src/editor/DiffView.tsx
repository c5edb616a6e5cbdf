/**
 * The visual diff of two template versions: a summary (template fields, nodes and edges that
 * were added, removed or changed, with the changed fields) and one merged graph where added
 * is green, removed red and dashed, changed amber. Read-only: its own React Flow instance.
 */
import { useEffect, useMemo, useState } from 'react';
import type { Edge } from '@xyflow/react';
import type { Template } from '../../../workflows/model';
import type { XY } from '../logic/canvas';
import { diffCanvas, diffTemplates, isEmptyDiff, standsOf } from '../logic/diff';
import { nodeFacts } from '../logic/facts';
import { layoutPositions } from '../logic/layout';
import { positionsOf, presentEdge } from './edge-view';
import type { CardNode } from './nodes';
import { Modal } from './Modal';
import { ReadOnlyGraph } from './ReadOnlyGraph';
import type { Comparison } from './VersionsPanel';

export function DiffView({ comparison, onClose }: { comparison: Comparison; onClose: () => void }) {
  const { a, b, aLabel, bLabel, project } = comparison;
  const diff = useMemo(() => diffTemplates(a, b), [a, b]);
  const merged = useMemo(() => diffCanvas(a, b, diff), [a, b, diff]);
  const [positions, setPositions] = useState<Record<string, XY>>();

  // Versions without stored positions (e.g. imported) are laid out together, as one graph.
  useEffect(() => {
    const unplaced = merged.nodes.some((n) => !b.layout?.[n.id] && !a.layout?.[n.id]);
    if (!unplaced) return;
    const union: Template = {
      ...b,
      nodes: merged.nodes.map((n) => n.data.node),
      edges: merged.edges.map((e) => ({ from: e.source, to: e.target, on: e.data.on })),
    };
    let live = true;
    void layoutPositions(union).then((p) => live && setPositions(p));
    return () => {
      live = false;
    };
  }, [a, b, merged]);

  const cards = useMemo(
    (): CardNode[] =>
      merged.nodes.map((n) => ({
        ...n,
        position: positions?.[n.id] ?? n.position,
        draggable: false,
        data: {
          ...n.data,
          facts: nodeFacts(n.data.node, b.roles),
          ...(project && standsOf(project, n.id)),
        },
      })),
    [merged, positions, b.roles, project],
  );
  const edges = useMemo((): Edge[] => {
    const at = positionsOf(cards);
    return merged.edges.map((e) => presentEdge(e, at, `gh-edge diff-${e.data.diff ?? 'same'}`));
  }, [merged, cards]);

  return (
    <Modal labelledBy="gh-diff-title" testId="diff-view" onClose={onClose}>
      <div className="gh-dialog gh-diff">
        <header className="gh-diff-head">
          <h2 id="gh-diff-title">
            {aLabel} → {bLabel}
          </h2>
          <span className="gh-legend">
            <span className="diff-added">added</span> <span className="diff-removed">removed</span>{' '}
            <span className="diff-changed">changed</span>
            {project && (
              <span data-testid="diff-project">
                {' '}
                · the project is in {project.now.join(', ') || '—'}, would stand in{' '}
                {project.would.join(', ') || '—'}
              </span>
            )}
          </span>
          <button type="button" data-testid="diff-close" onClick={onClose} autoFocus>
            Close
          </button>
        </header>
        <div className="gh-diff-body">
          <aside className="gh-diff-summary" data-testid="diff-summary">
            {isEmptyDiff(diff) && <p>No differences (positions aside).</p>}
            {diff.template.length > 0 && (
              <p data-testid="diff-template-fields">
                Template fields changed: <strong>{diff.template.join(', ')}</strong>
              </p>
            )}
            {diff.nodes.length > 0 && <h3>Nodes</h3>}
            <ul>
              {diff.nodes.map((d) => (
                <li
                  key={d.id}
                  className={`diff-${d.status}`}
                  data-testid={`diff-node-${d.id}`}
                  data-status={d.status}
                >
                  {d.status} {d.type} <strong>{d.name}</strong> ({d.id})
                  {d.fields.length > 0 && `: ${d.fields.join(', ')}`}
                </li>
              ))}
            </ul>
            {diff.edges.length > 0 && <h3>Edges</h3>}
            <ul>
              {diff.edges.map((d) => (
                <li
                  key={d.id}
                  className={`diff-${d.status}`}
                  data-testid={`diff-edge-${d.id}`}
                  data-status={d.status}
                >
                  {d.status} {d.from} —{d.on}→{' '}
                  {d.status === 'changed' ? `${d.before} ⇒ ${d.after}` : (d.after ?? d.before)}
                </li>
              ))}
            </ul>
          </aside>
          <div className="gh-diff-graph" data-testid="diff-graph">
            <ReadOnlyGraph
              cards={cards}
              edges={edges}
              fitSignal={positions}
              focus={project?.would[0] ?? project?.now[0] ?? b.start}
            />
          </div>
        </div>
      </div>
    </Modal>
  );
}
