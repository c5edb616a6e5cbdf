/**
 * The designer's workbench: toolbar, palette, canvas, problems, inspector and versions around
 * one editor state (useEditor). It wires user gestures to the pure edits of logic/ and the
 * template routes of the API; it holds no template logic of its own.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useReactFlow } from '@xyflow/react';
import type { Api } from '../api/client';
import type { NodeType, Template } from '../../../workflows/model';
import { hasFullLayout } from '../logic/canvas';
import { emptyTemplate } from '../logic/edit';
import { autoLayout } from '../logic/layout';
import { readableLayout, type Opening } from '../logic/readable';
import { focusCandidates, locate } from '../logic/problems';
import { Canvas } from './Canvas';
import { DiffView } from './DiffView';
import { ImportDialog } from './ImportDialog';
import { Inspector, type FocusRequest } from './inspector/Inspector';
import { Palette } from './Palette';
import { ProblemsPanel, type Problem } from './ProblemsPanel';
import { freshKey } from './templates-api';
import { Toolbar } from './Toolbar';
import { useEditor } from './useEditor';
import { usePersistence } from './usePersistence';
import { useLeaveGuard } from './useLeaveGuard';
import { useShortcuts } from './useShortcuts';
import { VersionsPanel, type Comparison } from './VersionsPanel';
import { ImpactPanel } from './ImpactPanel';

export interface WorkbenchProps {
  api: Api;
  initial: Template;
  /** What `initial` is: the stored draft, a published version, or a new, unsaved template. */
  openedFrom: OpenedFrom;
  /** View only: no palette, no editing, saving or publishing (inspector fields disabled). */
  readOnly?: boolean;
  origin: string;
  /** After every successful save: the key the template was saved under. */
  onSaved?: (templateKey: string) => void;
  onOpenSimulation?: (templateKey: string, version?: number) => void;
}

export type OpenedFrom = 'draft' | 'version' | 'new';

export function Workbench({
  api,
  initial,
  openedFrom,
  origin,
  onSaved,
  onOpenSimulation,
  readOnly = false,
}: WorkbenchProps) {
  const editor = useEditor(initial);
  const { template, selection, setSelection } = editor;
  const persistence = usePersistence(
    api,
    template,
    openedFrom === 'new' ? undefined : { template: initial, from: openedFrom },
    onSaved,
  );
  const { fitView, screenToFlowPosition } = useReactFlow();
  const [tab, setTab] = useState<'inspector' | 'versions' | 'impact'>('inspector');
  const [focus, setFocus] = useState<FocusRequest>();
  const [comparison, setComparison] = useState<Comparison>();
  const [importing, setImporting] = useState(false);
  const [opening, setOpening] = useState<{ opening: Opening }>();
  const added = useRef(0);
  const { setNotice, adopt } = persistence;

  /**
   * A template about to be shown, arranged to be readable on this canvas (folded into rows
   * when one row would be too small to read); the canvas then opens its view on it.
   */
  const arrange = useCallback(
    (next: Template): Template => {
      const box = canvasBox();
      const ids = new Set(next.nodes.map((n) => n.id));
      const stored = Object.fromEntries(
        Object.entries(next.layout ?? {}).filter(([id]) => ids.has(id)),
      );
      if (!box) {
        setOpening({ opening: { kind: 'fit' } });
        return next;
      }
      const readable = readableLayout(stored, box, next.start, editor.sizes.current);
      setOpening({ opening: readable.opening });
      return readable.folded
        ? { ...next, layout: { ...next.layout, ...readable.positions } }
        : next;
    },
    [editor.sizes],
  );

  /** Loads a template as one undoable edit, placing it automatically when it has no layout. */
  const open = useCallback(
    async (next: Template, text: string) => {
      const placed = hasFullLayout(next) ? next : await autoLayout(next, editor.sizes.current);
      editor.edit(arrange(placed));
      setSelection({ nodes: [], edges: [] });
      setNotice({ kind: 'info', text });
    },
    [editor, arrange, setSelection, setNotice],
  );

  // Once per opened template (the workbench is re-keyed when another one is opened), though
  // `editor` and its helpers are new objects after every edit.
  const shown = useRef(false);
  useEffect(() => {
    if (shown.current) return;
    shown.current = true;
    setNotice({ kind: 'info', text: `Opened ${initial.key || 'template'}: ${origin}.` });
    const show = (placed: Template) => {
      const arranged = arrange(placed);
      if (arranged === initial) return;
      editor.replace(arranged);
      adopt(initial, arranged);
    };
    if (hasFullLayout(initial)) show(initial);
    else void autoLayout(initial).then(show);
  }, [initial, origin, arrange, editor, adopt, setNotice]);

  const pickProblem = useCallback(
    (problem: Problem) => {
      const target = locate(template, problem);
      setTab('inspector');
      if (target.kind === 'node') {
        setSelection({ nodes: [target.id], edges: [] });
        void fitView({ nodes: [{ id: target.id }], padding: 0.6, maxZoom: 1.2, duration: 300 });
      } else if (target.kind === 'edge') {
        setSelection({ nodes: [], edges: [target.id] });
        const edge = template.edges[target.index];
        if (edge)
          void fitView({
            nodes: [{ id: edge.from }, { id: edge.to }],
            padding: 0.4,
            maxZoom: 1.2,
            duration: 300,
          });
      } else {
        setSelection({ nodes: [], edges: [] });
      }
      setFocus({ ids: focusCandidates(problem.path), nonce: Date.now() });
    },
    [template, setSelection, fitView],
  );

  const addAtCenter = useCallback(
    (type: NodeType) => {
      const box = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
      const nudge = (added.current++ % 5) * 30;
      const center = box
        ? { x: box.left + box.width / 2, y: box.top + box.height / 2 }
        : { x: 400, y: 300 };
      const at = screenToFlowPosition(center);
      editor.addNodeAt(type, { x: at.x - 115 + nudge, y: at.y - 50 + nudge });
      setTab('inspector');
    },
    [editor, screenToFlowPosition],
  );

  const exportJson = useCallback(() => {
    const blob = new Blob([`${JSON.stringify(template, null, 2)}\n`], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `${template.key || 'template'}.json`;
    link.click();
    URL.revokeObjectURL(url);
    setNotice({ kind: 'info', text: `Exported ${link.download}.` });
  }, [template, setNotice]);

  const newTemplate = useCallback(async () => {
    await open(
      emptyTemplate(await freshKey(api)),
      'New template: drag nodes from the palette, then connect them.',
    );
    persistence.markUnsaved();
    setTab('inspector');
  }, [api, open, persistence]);

  const simulate = useCallback(async () => {
    if (!onOpenSimulation) return;
    // A read-only viewer simulates the published version the simulation opens by itself.
    if (!readOnly && persistence.dirty && !(await persistence.save())) return;
    onOpenSimulation(template.key);
  }, [onOpenSimulation, persistence, readOnly, template.key]);

  // Edits only: a template just opened (or a new, untouched one) leaves nothing to lose.
  useLeaveGuard(!readOnly && persistence.dirty && editor.canUndo);

  const dialogOpen = importing || comparison !== undefined;
  useShortcuts(
    {
      undo: editor.undo,
      redo: editor.redo,
      remove: () => {
        if (selection.nodes.length + selection.edges.length === 0) return false;
        editor.deleteSelection();
      },
      copy: () => {
        const n = editor.copySelection();
        if (n === 0) return false;
        setNotice({ kind: 'info', text: `Copied ${n} node(s).` });
      },
      paste: () => {
        const n = editor.paste();
        if (n === 0) return false;
        setNotice({ kind: 'info', text: `Pasted ${n} node(s).` });
      },
    },
    !dialogOpen && !readOnly,
  );

  return (
    <div className="gh-designer" data-testid="designer">
      <Toolbar
        title={`${template.name || 'Untitled'} (${template.key || 'no key'})`}
        saveState={persistence.state}
        readOnly={readOnly}
        busy={persistence.busy}
        canUndo={editor.canUndo}
        canRedo={editor.canRedo}
        {...(persistence.notice && { notice: persistence.notice })}
        onNew={() => void newTemplate()}
        onUndo={editor.undo}
        onRedo={editor.redo}
        onLayout={() => void editor.layout(arrange)}
        onImport={() => setImporting(true)}
        onExport={exportJson}
        onSave={() => void persistence.save()}
        onPublish={() => void persistence.publish()}
        {...(onOpenSimulation && { onSimulate: () => void simulate() })}
      />
      <div className={readOnly ? 'gh-designer-body is-readonly' : 'gh-designer-body'}>
        {!readOnly && <Palette onAdd={addAtCenter} />}
        <div className="gh-designer-main">
          <Canvas
            editor={editor}
            readOnly={readOnly}
            opening={opening}
            onMessage={(text) => setNotice({ kind: 'error', text })}
          />
          <ProblemsPanel
            template={template}
            errors={editor.validation.errors}
            {...(persistence.serverErrors && { serverErrors: persistence.serverErrors })}
            onPick={pickProblem}
            readOnly={readOnly}
          />
        </div>
        <aside className="gh-designer-side">
          <div role="tablist" aria-label="Side panel" className="gh-tabs">
            <button
              type="button"
              role="tab"
              aria-selected={tab === 'inspector'}
              data-testid="tab-inspector"
              onClick={() => setTab('inspector')}
            >
              Inspector
            </button>
            <button
              type="button"
              role="tab"
              aria-selected={tab === 'versions'}
              data-testid="tab-versions"
              onClick={() => setTab('versions')}
            >
              Versions
            </button>
            {!readOnly && (
              <button
                type="button"
                role="tab"
                aria-selected={tab === 'impact'}
                data-testid="tab-impact"
                onClick={() => setTab('impact')}
              >
                Impact
              </button>
            )}
          </div>
          {tab === 'inspector' ? (
            // A disabled fieldset disables every field and button of the inspector at once.
            <fieldset className="gh-fieldset-plain" disabled={readOnly} data-readonly={readOnly}>
              <Inspector
                template={template}
                selection={selection}
                errors={editor.validation.errors}
                edit={editor.edit}
                onDelete={editor.deleteSelection}
                {...(focus && { focus })}
              />
            </fieldset>
          ) : tab === 'impact' ? (
            <ImpactPanel api={api} current={template} onCompare={setComparison} />
          ) : (
            <VersionsPanel
              api={api}
              templateKey={template.key}
              current={template}
              refresh={persistence.published}
              onOpen={(t, version) =>
                void open(
                  t,
                  readOnly
                    ? `Showing version ${version}.`
                    : `Opened version ${version}; save to make it the draft.`,
                )
              }
              {...(onOpenSimulation && {
                onSimulate: (version: number) => onOpenSimulation(template.key, version),
              })}
              onCompare={setComparison}
            />
          )}
        </aside>
      </div>
      {comparison && <DiffView comparison={comparison} onClose={() => setComparison(undefined)} />}
      {importing && (
        <ImportDialog
          onClose={() => setImporting(false)}
          onLoad={(t) => {
            setImporting(false);
            void open(t, `Imported "${t.key}". Save to store it as the draft of "${t.key}".`);
          }}
        />
      )}
    </div>
  );
}

/** The canvas's size on screen, once it is laid out. */
function canvasBox(): { width: number; height: number } | undefined {
  const box = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
  return box && box.width > 0 && box.height > 0
    ? { width: box.width, height: box.height }
    : undefined;
}
