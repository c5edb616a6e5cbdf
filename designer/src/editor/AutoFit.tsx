/**
 * Fits a read-only flow to its nodes once they are measured, and again when `signal` changes.
 * React Flow's own `fitView` prop runs once, possibly before a dialog or panel has its final
 * size; this waits for the nodes and the next frame instead.
 */
import { useEffect } from 'react';
import { useNodesInitialized, useReactFlow } from '@xyflow/react';

export function AutoFit({ signal }: { signal?: unknown }) {
  const { fitView } = useReactFlow();
  const ready = useNodesInitialized();
  useEffect(() => {
    if (!ready) return;
    const frame = requestAnimationFrame(() => void fitView({ padding: 0.12 }));
    return () => cancelAnimationFrame(frame);
  }, [ready, signal, fitView]);
  return null;
}
