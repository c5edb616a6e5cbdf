/** The pinned template drawn read-only, with the project's live state on every node and edge. */
import { useMemo, useState } from 'react';
import { Background, Controls, MarkerType, ReactFlow, type Edge as FlowEdge } from '@xyflow/react';
import type { ProjectState, Template } from '../../../../workflows/model';
import { edgeTypes, pointsBack } from '../../editor/edge-view';
import { useMeasured } from '../../editor/useMeasured';
import { nearby, positionsFor } from '../logic/layout';
import { edgeTaken, overlays } from '../logic/overlay';
import { GraphNode, type OverlayFlowNode } from './GraphNode';

const nodeTypes = { overlay: GraphNode };

export function ProjectGraph({
  template,
  state,
  now,
  selected,
  onSelect,
}: {
  template: Template;
  state: ProjectState;
  now: number;
  selected: string | undefined;
  onSelect: (nodeId: string) => void;
}) {
  const positions = useMemo(() => positionsFor(template), [template]);
  const byId = useMemo(() => overlays(template, state, now), [template, state, now]);
  // A whole lifecycle fitted into the view is too small to read: open on the current step
  // and its neighbours; the controls' "fit view" shows everything.
  const [focus] = useState(() => nearby(positions, state.current[0] ?? template.start));
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
  return (
    <div className="graph" data-testid="project-graph">
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
        fitView
        fitViewOptions={{ padding: 0.1, maxZoom: 1, nodes: focus.map((id) => ({ id })) }}
        minZoom={0.2}
        maxZoom={1.5}
      >
        <Background gap={24} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
