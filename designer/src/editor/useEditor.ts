/**
 * The designer's state: a history of template snapshots (logic/history.ts), the selection and
 * the clipboard, with every edit expressed through the pure functions of logic/. Validation
 * runs on every change with the shared `validateNewTemplate` (through logic/validation.ts).
 */
import { useCallback, useMemo, useReducer, useRef, useState } from 'react';
import type { NodeType, Outcome, Template } from '../../../workflows/model';
import type { XY } from '../logic/canvas';
import { copyNodes, pasteClip, type Clip } from '../logic/clipboard';
import { connect } from '../logic/edges';
import { addNode, deleteElements, moveNodes } from '../logic/edit';
import { canRedo, canUndo, historyReducer, initHistory } from '../logic/history';
import { autoLayout } from '../logic/layout';
import { validateInDesigner } from '../logic/validation';
import { errorCounts } from '../logic/problems';

export interface Selection {
  nodes: string[];
  edges: string[];
}
export const NO_SELECTION: Selection = { nodes: [], edges: [] };

export type Sizes = Record<string, { width: number; height: number }>;

/** The clipboard outlives one template: copy in one, paste in the next. */
let clipboard: { clip: Clip; pastes: number } | undefined;

export function useEditor(initial: Template) {
  const [history, dispatch] = useReducer(historyReducer<Template>, initial, initHistory);
  const template = history.present;
  // Callbacks read the latest template through a ref so they stay stable for React Flow.
  const latest = useRef(template);
  latest.current = template;
  const [selection, setSelection] = useState<Selection>(NO_SELECTION);
  const selectionRef = useRef(selection);
  selectionRef.current = selection;
  const sizes = useRef<Sizes>({});

  const validation = useMemo(() => validateInDesigner(template), [template]);
  const counts = useMemo(() => errorCounts(template, validation.errors), [template, validation]);

  const edit = useCallback((next: Template, mergeKey?: string) => {
    dispatch({ type: 'edit', next, ...(mergeKey !== undefined && { mergeKey }) });
  }, []);
  const reset = useCallback((next: Template) => {
    dispatch({ type: 'reset', next });
    setSelection(NO_SELECTION);
  }, []);
  /** Swaps the present without an undo step: placing a freshly loaded template. */
  const replace = useCallback((next: Template) => dispatch({ type: 'replace', next }), []);
  const undo = useCallback(() => dispatch({ type: 'undo' }), []);
  const redo = useCallback(() => dispatch({ type: 'redo' }), []);

  const addNodeAt = useCallback(
    (type: NodeType, position: XY) => {
      const added = addNode(latest.current, type, position);
      edit(added.template);
      setSelection({ nodes: [added.id], edges: [] });
      return added.id;
    },
    [edit],
  );

  const connectNodes = useCallback(
    (from: string, to: string, on: Outcome): string | undefined => {
      const result = connect(latest.current, from, to, on);
      if (!result.ok) return result.reason;
      edit(result.template);
      return undefined;
    },
    [edit],
  );

  const move = useCallback(
    (positions: Record<string, XY>, mergeKey: string) =>
      edit(moveNodes(latest.current, positions), mergeKey),
    [edit],
  );

  const deleteSelection = useCallback(() => {
    const { nodes, edges } = selectionRef.current;
    if (nodes.length === 0 && edges.length === 0) return;
    edit(deleteElements(latest.current, nodes, edges));
    setSelection(NO_SELECTION);
  }, [edit]);

  const copySelection = useCallback((): number => {
    const clip = copyNodes(latest.current, selectionRef.current.nodes);
    if (clip) clipboard = { clip, pastes: 0 };
    return clip?.nodes.length ?? 0;
  }, []);

  const paste = useCallback((): number => {
    if (!clipboard) return 0;
    clipboard.pastes += 1;
    const step = 40 * clipboard.pastes;
    const pasted = pasteClip(latest.current, clipboard.clip, { x: step, y: step });
    edit(pasted.template);
    setSelection({ nodes: pasted.ids, edges: [] });
    return pasted.ids.length;
  }, [edit]);

  /** Auto-layout as one undoable edit; `place` may still arrange ELK's result (fold it). */
  const layout = useCallback(
    async (place: (laid: Template) => Template = (laid) => laid) => {
      const before = latest.current;
      const laid = await autoLayout(before, sizes.current);
      // Only apply when nothing changed while ELK was running: never overwrite a newer edit.
      if (latest.current === before) edit(place(laid));
    },
    [edit],
  );

  return {
    template,
    history,
    canUndo: canUndo(history),
    canRedo: canRedo(history),
    validation,
    counts,
    selection,
    setSelection,
    sizes,
    edit,
    reset,
    replace,
    undo,
    redo,
    addNodeAt,
    connectNodes,
    move,
    deleteSelection,
    copySelection,
    paste,
    layout,
  };
}

export type Editor = ReturnType<typeof useEditor>;
