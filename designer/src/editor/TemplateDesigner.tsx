/**
 * The template designer screen: loads the template (its draft, else its latest version, or a
 * new empty one) and hands it to the workbench. Everything after loading happens in the
 * workbench; this file only deals with where the template comes from.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import type { Api } from '../api/client';
import type { Template } from '../../../workflows/model';
import { coerceTemplate } from '../logic/draft';
import { emptyTemplate } from '../logic/edit';
import { describeFailure, freshKey, loadEditable } from './templates-api';
import { Workbench, type OpenedFrom } from './Workbench';
import './designer.css';

export interface TemplateDesignerProps {
  api: Api;
  /** The template to open; absent: a new, empty template. */
  templateKey?: string;
  /** Opens the simulation of a template: its draft, or a published version. */
  onOpenSimulation?: (templateKey: string, version?: number) => void;
  /** View only (users who are not PMO): no palette, editing, saving or publishing. */
  readOnly?: boolean;
  /**
   * The open template was saved under a key the route does not name (a new template's first
   * save, a changed key, an import): the route should follow (`templateKey` becomes that key)
   * with history replace. The designer stays as it is: it already holds that draft.
   */
  onSavedAs?: (templateKey: string) => void;
}

/** `for`: the `templateKey` it was loaded for. */
type Loaded =
  | { status: 'loading' }
  | {
      status: 'ready';
      for: string | undefined;
      template: Template;
      openedFrom: OpenedFrom;
      origin: string;
    }
  | { status: 'error'; for: string | undefined; message: string };

export function TemplateDesigner({
  api,
  templateKey,
  onOpenSimulation,
  readOnly = false,
  onSavedAs,
}: TemplateDesignerProps) {
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  // The key the open template was last saved under when `templateKey` did not name it: the
  // route moving there must not load it again (losing the selection, view and undo history).
  // A ref, set before `onSavedAs` moves the route, so no render sees the one without the other.
  const savedAs = useRef<string>(undefined);

  useEffect(() => {
    if (templateKey !== undefined && templateKey === savedAs.current) return;
    savedAs.current = undefined;
    let live = true;
    setLoaded({ status: 'loading' });
    const load = async (): Promise<Loaded> => {
      if (templateKey === undefined) {
        return {
          status: 'ready',
          for: templateKey,
          template: emptyTemplate(await freshKey(api)),
          openedFrom: 'new',
          origin: 'new template',
        };
      }
      const editable = await loadEditable(api, templateKey, { draft: !readOnly });
      const coerced = coerceTemplate(editable.body);
      if (!coerced.ok)
        return {
          status: 'error',
          for: templateKey,
          message: `the stored draft cannot be edited: ${coerced.reason}`,
        };
      const origin =
        editable.source === 'draft'
          ? 'draft'
          : readOnly
            ? `published version ${editable.version}`
            : `published version ${editable.version} (no draft yet)`;
      return {
        status: 'ready',
        for: templateKey,
        template: coerced.template,
        openedFrom: editable.source,
        origin,
      };
    };
    load()
      .then((result) => live && setLoaded(result))
      .catch(
        (error: unknown) =>
          live && setLoaded({ status: 'error', for: templateKey, message: describeFailure(error) }),
      );
    return () => {
      live = false;
    };
  }, [api, templateKey, attempt, readOnly]);

  const saved = useCallback(
    (key: string) => {
      if (key === templateKey) return;
      savedAs.current = key;
      onSavedAs?.(key);
    },
    [templateKey, onSavedAs],
  );

  // Until the effect above loads another template, the one shown is not the route's.
  const stale =
    loaded.status !== 'loading' && templateKey !== loaded.for && templateKey !== savedAs.current;
  if (loaded.status === 'loading' || stale) {
    return (
      <div className="gh-designer gh-center" data-testid="designer-loading" aria-busy="true">
        Loading template…
      </div>
    );
  }
  if (loaded.status === 'error') {
    return (
      <div className="gh-designer gh-center" role="alert" data-testid="designer-error">
        <p>
          Could not open “{templateKey}”: {loaded.message}
        </p>
        <button type="button" onClick={() => setAttempt((n) => n + 1)}>
          Try again
        </button>
      </div>
    );
  }
  return (
    <ReactFlowProvider>
      <Workbench
        // Not the route's key: a new template's first save moves the route, not the workbench.
        key={`${loaded.for ?? ''}:${attempt}`}
        api={api}
        initial={loaded.template}
        openedFrom={loaded.openedFrom}
        origin={loaded.origin}
        readOnly={readOnly}
        onSaved={saved}
        {...(onOpenSimulation && { onOpenSimulation })}
      />
    </ReactFlowProvider>
  );
}
