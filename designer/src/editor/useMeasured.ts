/**
 * For read-only React Flow views built from fresh node objects on every render: React Flow
 * reports each node's measured size through onNodesChange and expects it back on the node,
 * else it treats the node as unmeasured (hidden) again. This keeps and re-attaches the sizes.
 */
import { useCallback, useMemo, useState } from 'react';
import type { Node, NodeChange } from '@xyflow/react';

export function useMeasured<N extends Node>(nodes: N[]) {
  const { sizes, onNodesChange } = useNodeSizes<N>();
  return { nodes: useWithSizes(nodes, sizes), onNodesChange };
}

/** The sizes React Flow measured, by node id, and the handler that collects them. */
export function useNodeSizes<N extends Node>() {
  const [sizes, setSizes] = useState<Record<string, { width: number; height: number }>>({});
  const onNodesChange = useCallback((changes: NodeChange<N>[]) => {
    const measured: Record<string, { width: number; height: number }> = {};
    for (const change of changes) {
      if (change.type === 'dimensions' && change.dimensions)
        measured[change.id] = change.dimensions;
    }
    if (Object.keys(measured).length > 0) setSizes((current) => ({ ...current, ...measured }));
  }, []);
  return { sizes, onNodesChange };
}

/** `nodes` with the sizes measured so far put back on them. */
export function useWithSizes<N extends Node>(
  nodes: N[],
  sizes: Readonly<Record<string, { width: number; height: number }>>,
): N[] {
  return useMemo(
    () => nodes.map((n) => (sizes[n.id] ? { ...n, measured: sizes[n.id] } : n)),
    [nodes, sizes],
  );
}
