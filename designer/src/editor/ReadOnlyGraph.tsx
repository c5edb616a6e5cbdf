/**
 * A template graph to look at, not edit: the version diff and the simulation both show one.
 * It opens readable (logic/readable.ts): folded into rows when one row would be too small to
 * read, fitted no smaller than the readable zoom, or opened on `focus` when it is too large.
 */
import { useMemo, useRef } from 'react';
import { Background, Controls, ReactFlow, ReactFlowProvider, type Edge } from '@xyflow/react';
import { MIN_ZOOM, readableLayout } from '../logic/readable';
import { edgeTypes, positionsOf, routeEdges } from './edge-view';
import { nodeTypes, type CardNode } from './nodes';
import { useNodeSizes, useWithSizes } from './useMeasured';
import { useFirstBox, useOpeningView } from './useReadableView';

export interface ReadOnlyGraphProps {
  cards: CardNode[];
  edges: Edge[];
  /** Opens the view afresh whenever this value changes identity. */
  fitSignal: unknown;
  /** The node to open on when the graph is too large to show whole (current, else start). */
  focus: string;
}

export function ReadOnlyGraph(props: ReadOnlyGraphProps) {
  return (
    <ReactFlowProvider>
      <Graph {...props} />
    </ReactFlowProvider>
  );
}

function Graph({ cards, edges, fitSignal, focus }: ReadOnlyGraphProps) {
  const ref = useRef<HTMLDivElement>(null);
  const box = useFirstBox(ref);
  // The layout changes with the positions only (cards change with every status): the
  // positions are kept by value, so a new status keeps the layout.
  const positionsKey = JSON.stringify(positionsOf(cards));
  const positions = useMemo(
    () => JSON.parse(positionsKey) as ReturnType<typeof positionsOf>,
    [positionsKey],
  );
  // Folded by the cards' measured sizes once React Flow has them (estimated until then): a
  // card taller than the estimate would otherwise push the last band out of the view. The
  // view opens only after the measured fold is in place (useOpeningView waits for them).
  const { sizes, onNodesChange } = useNodeSizes<CardNode>();
  const readable = useMemo(
    () => (box ? readableLayout(positions, box, focus, sizes) : undefined),
    [box, positions, focus, sizes],
  );
  const placed = useMemo(
    () => cards.map((c): CardNode => ({ ...c, position: readable?.positions[c.id] ?? c.position })),
    [cards, readable],
  );
  const nodes = useWithSizes(placed, sizes);
  const routed = useMemo(() => routeEdges(edges, positionsOf(placed)), [edges, placed]);
  const ready = useOpeningView(readable?.opening, fitSignal, cards.length);
  return (
    <div
      ref={ref}
      className="gh-readonly-graph"
      data-testid="readonly-graph"
      data-opened={ready ? (readable?.opening.kind ?? 'fit') : undefined}
      data-folded={readable?.folded ? 'true' : undefined}
      style={ready ? undefined : { visibility: 'hidden' }}
    >
      {box && (
        <ReactFlow<CardNode, Edge>
          nodes={nodes}
          edges={routed}
          onNodesChange={onNodesChange}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          nodesConnectable={false}
          elementsSelectable={false}
          minZoom={MIN_ZOOM}
        >
          <Background gap={20} />
          <Controls showInteractive={false} />
        </ReactFlow>
      )}
    </div>
  );
}
