/** A template graph to look at, not edit: the version diff and the simulation both show one. */
import { Background, Controls, ReactFlow, ReactFlowProvider, type Edge } from '@xyflow/react';
import { AutoFit } from './AutoFit';
import { edgeTypes } from './edge-view';
import { nodeTypes, type CardNode } from './nodes';
import { useMeasured } from './useMeasured';

export interface ReadOnlyGraphProps {
  cards: CardNode[];
  edges: Edge[];
  /** Refits the view whenever this value changes identity. */
  fitSignal: unknown;
  minZoom: number;
}

export function ReadOnlyGraph({ cards, edges, fitSignal, minZoom }: ReadOnlyGraphProps) {
  const { nodes, onNodesChange } = useMeasured(cards);
  return (
    <ReactFlowProvider>
      <ReactFlow<CardNode, Edge>
        nodes={nodes}
        edges={edges}
        onNodesChange={onNodesChange}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        nodesConnectable={false}
        elementsSelectable={false}
        fitView
        minZoom={minZoom}
      >
        <Background gap={20} />
        <Controls showInteractive={false} />
        <AutoFit signal={fitSignal} />
      </ReactFlow>
    </ReactFlowProvider>
  );
}
