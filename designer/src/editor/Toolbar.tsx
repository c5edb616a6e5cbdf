/** The designer's toolbar: history, layout, import/export, save, publish and simulate. */
import type { ReactNode } from 'react';
import type { SaveState } from './usePersistence';

export interface Notice {
  kind: 'info' | 'ok' | 'error';
  text: string;
}

export interface ToolbarProps {
  title: string;
  saveState: SaveState;
  /** View only: just export and simulate. */
  readOnly?: boolean;
  busy: boolean;
  canUndo: boolean;
  canRedo: boolean;
  notice?: Notice;
  onNew: () => void;
  onUndo: () => void;
  onRedo: () => void;
  onLayout: () => void;
  onImport: () => void;
  onExport: () => void;
  onSave: () => void;
  onPublish: () => void;
  onSimulate?: () => void;
}

function Tool({
  testId,
  onClick,
  disabled,
  children,
  title,
  primary,
}: {
  testId: string;
  onClick: () => void;
  disabled?: boolean;
  children: ReactNode;
  title?: string;
  primary?: boolean;
}) {
  return (
    <button
      type="button"
      className={primary ? 'gh-primary' : undefined}
      data-testid={testId}
      onClick={onClick}
      disabled={disabled}
      title={title}
    >
      {children}
    </button>
  );
}

const SAVE_STATE_LABEL: Record<SaveState, string> = {
  unsaved: '● unsaved changes',
  saved: 'saved',
  published: 'published version, no draft yet',
};

export function Toolbar(p: ToolbarProps) {
  return (
    <header className="gh-toolbar" role="toolbar" aria-label="Designer toolbar">
      <div className="gh-toolbar-title">
        {/* The screen's main heading: the template being designed. */}
        <h1 className="gh-toolbar-heading" data-testid="template-title">
          {p.title}
        </h1>
        <span className="gh-muted gh-small" data-testid="dirty-state">
          {p.readOnly
            ? 'read-only: templates are designed by the PMO'
            : SAVE_STATE_LABEL[p.saveState]}
        </span>
      </div>
      {p.readOnly ? <ViewTools {...p} /> : <EditTools {...p} />}
      <div
        className={`gh-notice is-${p.notice?.kind ?? 'info'}`}
        role="status"
        aria-live="polite"
        data-testid="designer-status"
      >
        {p.busy ? 'Working…' : (p.notice?.text ?? '')}
      </div>
    </header>
  );
}

function ViewTools(p: ToolbarProps) {
  return (
    <div className="gh-toolbar-group">
      <Tool testId="export" onClick={p.onExport} title="Download the template as JSON">
        Export
      </Tool>
      {p.onSimulate && (
        <Tool testId="simulate" onClick={p.onSimulate} title="Simulate this version">
          Simulate
        </Tool>
      )}
    </div>
  );
}

function EditTools(p: ToolbarProps) {
  return (
    <>
      <div className="gh-toolbar-group">
        <Tool testId="new-template" onClick={p.onNew} title="Start from an empty canvas">
          New template
        </Tool>
        <Tool testId="undo" onClick={p.onUndo} disabled={!p.canUndo} title="Undo (Ctrl/Cmd+Z)">
          Undo
        </Tool>
        <Tool
          testId="redo"
          onClick={p.onRedo}
          disabled={!p.canRedo}
          title="Redo (Shift+Ctrl/Cmd+Z or Ctrl+Y)"
        >
          Redo
        </Tool>
        <Tool
          testId="auto-layout"
          onClick={p.onLayout}
          title="Arrange automatically (elkjs): left to right, in rows when too long to read"
        >
          Auto layout
        </Tool>
        <Tool testId="import" onClick={p.onImport}>
          Import
        </Tool>
        <Tool testId="export" onClick={p.onExport} title="Download the template as JSON">
          Export
        </Tool>
      </div>
      <div className="gh-toolbar-group">
        {p.onSimulate && (
          <Tool
            testId="simulate"
            onClick={p.onSimulate}
            disabled={p.busy}
            title="Save, then simulate the draft"
          >
            Simulate
          </Tool>
        )}
        <Tool testId="save-draft" onClick={p.onSave} disabled={p.busy}>
          Save draft
        </Tool>
        <Tool
          testId="publish"
          onClick={p.onPublish}
          disabled={p.busy}
          primary
          title="Save, then publish a new immutable version"
        >
          Publish
        </Tool>
      </div>
    </>
  );
}
