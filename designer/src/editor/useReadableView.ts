/**
 * Opening a template graph readable (logic/readable.ts) in React Flow: the size of the box the
 * graph is shown in, measured before the first paint, and the opening view applied once the
 * cards are measured — fitted to the whole graph no smaller than the readable zoom, or centred
 * on one node. Until then the graph stays hidden, so nobody sees it shrunk or jumping.
 */
import { useEffect, useLayoutEffect, useState, type RefObject } from 'react';
import { useNodesInitialized, useReactFlow, useStore } from '@xyflow/react';
import {
  FIT_PADDING,
  OPEN_MAX_ZOOM,
  READABLE_ZOOM,
  type Opening,
  type Size,
} from '../logic/readable';

/** Where a graph opened on one node puts it: this fraction of the pane from the left. */
const FOCUS_LEFT = 0.2;

/** The element's size at its first layout (before paint); later resizes keep the layout. */
export function useFirstBox(ref: RefObject<HTMLElement | null>): Size | undefined {
  const [box, setBox] = useState<Size>();
  useLayoutEffect(() => {
    if (box || !ref.current) return;
    const { width, height } = ref.current.getBoundingClientRect();
    if (width > 0 && height > 0) {
      setBox({ width, height });
      return;
    }
    // Not laid out yet (a dialog still opening): take the first real size it gets.
    const observer = new ResizeObserver(([entry]) => {
      const size = entry?.contentRect;
      if (size && size.width > 0 && size.height > 0) {
        setBox({ width: size.width, height: size.height });
        observer.disconnect();
      }
    });
    observer.observe(ref.current);
    return () => observer.disconnect();
  }, [box, ref]);
  return box;
}

/**
 * Applies `opening` once the nodes are measured, and again whenever `signal` changes identity
 * (another template opened). Answers whether the view for the current signal is in place.
 */
export function useOpeningView(
  opening: Opening | undefined,
  signal: unknown,
  nodeCount: number,
): boolean {
  const { fitView, setCenter, setViewport, getInternalNode } = useReactFlow();
  const initialized = useNodesInitialized();
  const paneWidth = useStore((s) => s.width);
  const paneHeight = useStore((s) => s.height);
  const [openedFor, setOpenedFor] = useState<{ signal: unknown }>();
  const done = openedFor !== undefined && openedFor.signal === signal;
  useEffect(() => {
    if (done || opening === undefined) return;
    // An empty graph has nothing to measure or fit: it starts at the origin, unzoomed (fitted
    // onto the first card dropped, the next drops would crowd it).
    if (nodeCount === 0) {
      void setViewport({ x: 0, y: 0, zoom: 1 });
      setOpenedFor({ signal });
      return;
    }
    // fitView and setCenter work in the pane's size as React Flow last measured it: not before.
    if (!initialized || paneWidth <= 0 || paneHeight <= 0) return;
    // Two frames on: React Flow has applied the measured sizes (and any last re-measure of a
    // card whose text wrapped) to its bounds by then.
    let cancelled = false;
    let frame = requestAnimationFrame(() => {
      frame = requestAnimationFrame(open);
    });
    const open = () => {
      // The view is in place when React Flow says so: its fitView is queued to a later render
      // (and a frame), so "opened" said at once would show the graph, and let a reader measure
      // it, still at the viewport before.
      void view().then(() => {
        if (!cancelled) setOpenedFor({ signal });
      });
    };
    const view = (): Promise<unknown> => {
      const node = opening.kind === 'focus' ? getInternalNode(opening.nodeId) : undefined;
      if (node) {
        // The node a fifth of the way in from the left: what follows it is in view.
        const { x, y } = node.internals.positionAbsolute;
        const height = node.measured.height ?? 0;
        const zoom = OPEN_MAX_ZOOM;
        const left = Math.min(paneWidth * FOCUS_LEFT, paneWidth / 2);
        return setCenter(x - left / zoom + paneWidth / 2 / zoom, y + height / 2, { zoom });
      }
      return fitView({ padding: FIT_PADDING, minZoom: READABLE_ZOOM, maxZoom: OPEN_MAX_ZOOM });
    };
    return () => {
      cancelled = true;
      cancelAnimationFrame(frame);
    };
  }, [
    done,
    opening,
    signal,
    initialized,
    nodeCount,
    paneWidth,
    paneHeight,
    fitView,
    setCenter,
    setViewport,
    getInternalNode,
  ]);
  return done;
}
