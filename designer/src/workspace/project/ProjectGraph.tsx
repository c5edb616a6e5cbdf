/**
 * The pinned template drawn read-only, with the project's live state on every node and edge.
 * It opens readable (logic/readable.ts): folded into rows when one row is too small to read,
 * or on the current step when the lifecycle is too large to show whole.
 */
import { useMemo, useRef } from 'react';
import {
  Background,
  Controls,
  MarkerType,
  ReactFlow,
  ReactFlowProvider,
  type Edge as FlowEdge,
} from '@xyflow/react';
import type { Template } from '../../../../workflows/model';
import type { ProjectStateView } from '../types';
import { edgeTypes, pointsBack } from '../../editor/edge-view';
import { useMeasured } from '../../editor/useMeasured';
import { useFirstBox, useOpeningView } from '../../editor/useReadableView';
import { MIN_ZOOM, readableLayout } from '../../logic/readable';
import { positionsFor } from '../logic/layout';
import { edgeTaken, overlays } from '../logic/overlay';
import { GraphNode, type OverlayFlowNode } from './GraphNode';

const nodeTypes = { overlay: GraphNode };
/** A project card's size before it is measured (project.css `.gnode`). */
const CARD = { width: 200, height: 110 };

type ProjectGraphProps = {
  template: Template;
  state: ProjectStateView;
  now: number;
  selected: string | undefined;
  onSelect: (nodeId: string) => void;
};

export function ProjectGraph(props: ProjectGraphProps) {
  return (
    <ReactFlowProvider>
      <Graph {...props} />
    </ReactFlowProvider>
  );
}

function Graph({ template, state, now, selected, onSelect }: ProjectGraphProps) {
  const ref = useRef<HTMLDivElement>(null);
  const box = useFirstBox(ref);
  // Opened once per template, on the step the project was at when the page opened.
  const focus = useRef(state.current[0] ?? template.start).current;
  const readable = useMemo(
    () => box && readableLayout(positionsFor(template), box, focus, {}, CARD),
    [template, box, focus],
  );
  const positions = useMemo(
    () => readable?.positions ?? positionsFor(template),
    [readable, template],
  );
  const byId = useMemo(() => overlays(template, state, now), [template, state, now]);
  const nodes = useMemo(
    (): OverlayFlowNode[] =>
      template.nodes.map((node) => ({
        id: node.id,
        type: 'overlay',
        position: positions[node.id] ?? { x: 0, y: 0 },
        data: { node, overlay: byId[node.id]!, now },
        selected: node.id === selected,
        ariaLabel: `${node.name}: ${byId[node.id]?.status ?? 'pending'}`,
      })),
    [template, positions, byId, selected, now],
  );
  // Fresh node objects every second (`now`) and on every streamed state: without their
  // measured sizes handed back, React Flow would hide them as unmeasured.
  const measured = useMeasured(nodes);
  const edges = useMemo(
    (): FlowEdge[] =>
      template.edges.map((e, i) => {
        const taken = edgeTaken(e, state);
        const back = pointsBack(positions[e.from], positions[e.to]);
        return {
          id: `${e.from}-${e.on}-${e.to}-${i}`,
          source: e.from,
          target: e.to,
          type: back ? 'loopBack' : 'default',
          ...(e.on !== 'done' && { label: e.on }),
          className: `edge edge-${e.on}${taken ? ' taken' : ''}`,
          animated: taken && state.current.includes(e.to),
          markerEnd: { type: MarkerType.ArrowClosed },
          focusable: false,
          selectable: false,
        };
      }),
    [template, state, positions],
  );
  const ready = useOpeningView(readable?.opening, template, template.nodes.length);
  return (
    <div
      ref={ref}
      className="graph"
      data-testid="project-graph"
      data-opened={ready ? readable?.opening.kind : undefined}
      data-folded={readable?.folded ? 'true' : undefined}
      style={ready ? undefined : { visibility: 'hidden' }}
    >
      {box && (
        <ReactFlow
          nodes={measured.nodes}
          onNodesChange={measured.onNodesChange}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          nodesDraggable={false}
          nodesConnectable={false}
          edgesFocusable={false}
          // Selection is ours (the `selected` prop): React Flow's own would fight it on every
          // live update. Keyboard users pick a step with the node panel's step picker.
          elementsSelectable={false}
          nodesFocusable={false}
          onNodeClick={(_, node) => onSelect(node.id)}
          minZoom={MIN_ZOOM}
          maxZoom={1.5}
        >
          <Background gap={24} />
          <Controls showInteractive={false} />
        </ReactFlow>
      )}
    </div>
  );
}
