/**
 * The editing canvas: React Flow in controlled mode over the template. Nodes and edges are
 * derived from the template on every change; drags, selection and connections come back as
 * calls into the editor, which turns them into template edits. Palette items are dropped
 * with HTML5 drag and drop and placed with screenToFlowPosition.
 */
import { useCallback, useMemo, useRef, useState, type DragEvent } from 'react';
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type IsValidConnection,
  type NodeChange,
} from '@xyflow/react';
import { NODE_TYPES, type NodeType, type Outcome } from '../../../workflows/model';
import { toCanvas, type XY } from '../logic/canvas';
import { availableOutcomes, connectionProblem } from '../logic/edges';
import { nodeFacts } from '../logic/facts';
import { NODE_SIZE } from '../logic/layout';
import { MAX_WHOLE_NODES, MIN_ZOOM, type Opening } from '../logic/readable';
import { edgeTypes, positionsOf, presentEdge } from './edge-view';
import { nodeTypes, type CardNode } from './nodes';
import { OutcomePicker } from './OutcomePicker';
import type { Editor } from './useEditor';
import { useOpeningView } from './useReadableView';

/** The drag-and-drop payload type of palette items. */
export const DND_TYPE = 'application/x-gatehouse-node-type';

interface Picking {
  from: string;
  to: string;
  options: Outcome[];
  at: XY;
}

export function Canvas({
  editor,
  readOnly = false,
  opening,
  onMessage,
}: {
  editor: Editor;
  /** Nodes can be selected (to inspect them) but not moved, connected or dropped. */
  readOnly?: boolean;
  /**
   * How to open the view on the template just opened (logic/readable.ts); a new object opens it
   * again. The canvas stays hidden until the view is in place.
   */
  opening: { opening: Opening } | undefined;
  onMessage: (text: string) => void;
}) {
  const { template, counts, selection, setSelection, sizes } = editor;
  const { screenToFlowPosition } = useReactFlow();
  const wrapper = useRef<HTMLDivElement>(null);
  const pointer = useRef<XY>({ x: 0, y: 0 });
  // Drag gestures: every position change between drag start and stop is one undo step.
  const gesture = useRef({ count: 0, active: false });
  const [picking, setPicking] = useState<Picking>();
  // Measured sizes must be handed back to React Flow, else it re-measures (and hides) nodes.
  // The editor keeps them (for layout); this copy re-renders the cards when they change.
  const [measured, setMeasured] = useState(() => ({ ...sizes.current }));

  const nodes = useMemo((): CardNode[] => {
    const selected = new Set(selection.nodes);
    return toCanvas(template).nodes.map((n) => ({
      ...n,
      selected: selected.has(n.id),
      ...(measured[n.id] && { measured: measured[n.id] }),
      data: {
        ...n.data,
        errors: counts.nodes.get(n.id) ?? 0,
        facts: nodeFacts(n.data.node, template.roles),
      },
    }));
  }, [template, counts, selection.nodes, measured]);

  const edges = useMemo((): Edge[] => {
    const selected = new Set(selection.edges);
    const canvas = toCanvas(template);
    const positions = positionsOf(canvas.nodes);
    return canvas.edges.map((e) => {
      const errors = counts.edges.get(e.id) ?? 0;
      const className = `gh-edge out-${e.data.on}${errors ? ' has-errors' : ''}`;
      return {
        ...presentEdge(e, positions, className),
        selected: selected.has(e.id),
        data: { ...e.data, errors },
      };
    });
  }, [template, counts, selection.edges]);

  const onNodesChange = useCallback(
    (changes: NodeChange<CardNode>[]) => {
      const positions: Record<string, XY> = {};
      let resized = false;
      const select = new Map<string, boolean>();
      for (const change of changes) {
        if (change.type === 'position' && change.position) {
          positions[change.id] = change.position;
        } else if (change.type === 'select') {
          select.set(change.id, change.selected);
        } else if (change.type === 'dimensions' && change.dimensions) {
          sizes.current[change.id] = change.dimensions;
          resized = true;
        }
      }
      const moved = Object.keys(positions);
      if (moved.length > 0) {
        // One undo step per drag gesture; arrow-key nudges of the same nodes merge too.
        const { active, count } = gesture.current;
        editor.move(positions, active ? `drag-${count}` : `nudge-${moved.join(',')}`);
      }
      if (select.size > 0) {
        setSelection((current) => ({
          ...current,
          nodes: applySelect(current.nodes, select),
        }));
      }
      if (resized) setMeasured({ ...sizes.current });
    },
    [editor, setSelection, sizes],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      const select = new Map<string, boolean>();
      for (const change of changes)
        if (change.type === 'select') select.set(change.id, change.selected);
      if (select.size > 0) {
        setSelection((current) => ({ ...current, edges: applySelect(current.edges, select) }));
      }
    },
    [setSelection],
  );

  const onConnect = useCallback(
    ({ source, target }: Connection) => {
      const options = availableOutcomes(editor.template, source, target);
      if (options.length === 0) {
        onMessage(connectionProblem(editor.template, source, target) ?? 'cannot connect');
      } else if (options.length === 1) {
        const problem = editor.connectNodes(source, target, options[0]!);
        if (problem) onMessage(problem);
      } else {
        setPicking({ from: source, to: target, options, at: pointer.current });
      }
    },
    [editor, onMessage],
  );

  const isValidConnection = useCallback<IsValidConnection>(
    (c) => connectionProblem(editor.template, c.source, c.target) === undefined,
    [editor.template],
  );

  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(DND_TYPE) as NodeType;
      if (readOnly || !NODE_TYPES.includes(type)) return;
      event.preventDefault();
      const at = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      // Drop the card centred under the pointer rather than hanging from its corner.
      editor.addNodeAt(type, { x: at.x - NODE_SIZE.width / 2, y: at.y - 30 });
    },
    [editor, readOnly, screenToFlowPosition],
  );

  const opened = useOpeningView(opening?.opening, opening, template.nodes.length);
  // Hidden only until the first view is in place: a later opening (an import, auto-layout)
  // moves the view of a canvas already on screen.
  const shown = useRef(false);
  if (opened) shown.current = true;

  return (
    <div
      ref={wrapper}
      className="gh-canvas"
      data-testid="canvas"
      data-opened={opened ? opening?.opening.kind : undefined}
      // Hidden (but laid out and measured) until the opening view is in place.
      style={shown.current ? undefined : { visibility: 'hidden' }}
      aria-label="Template canvas"
      onDragOver={(event) => {
        if (readOnly || !event.dataTransfer.types.includes(DND_TYPE)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
      }}
      onDrop={onDrop}
      onPointerUpCapture={(event) => {
        const box = wrapper.current?.getBoundingClientRect();
        if (box) pointer.current = { x: event.clientX - box.left, y: event.clientY - box.top };
      }}
    >
      <ReactFlow<CardNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        onNodeDragStart={() => {
          gesture.current = { count: gesture.current.count + 1, active: true };
        }}
        onNodeDragStop={() => {
          gesture.current = { ...gesture.current, active: false };
        }}
        deleteKeyCode={null}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        minZoom={MIN_ZOOM}
      >
        <Background gap={20} />
        <Controls />
        {/* A map helps only where the graph cannot be shown whole (it would cover cards). */}
        {template.nodes.length > MAX_WHOLE_NODES && (
          <MiniMap pannable zoomable ariaLabel="Minimap" />
        )}
      </ReactFlow>
      {picking && (
        <OutcomePicker
          options={picking.options}
          at={picking.at}
          onPick={(on) => {
            const problem = editor.connectNodes(picking.from, picking.to, on);
            if (problem) onMessage(problem);
            setPicking(undefined);
          }}
          onCancel={() => setPicking(undefined)}
        />
      )}
    </div>
  );
}

function applySelect(current: string[], changes: Map<string, boolean>): string[] {
  const next = new Set(current);
  for (const [id, selected] of changes) {
    if (selected) next.add(id);
    else next.delete(id);
  }
  return next.size === current.length && current.every((id) => next.has(id)) ? current : [...next];
}
