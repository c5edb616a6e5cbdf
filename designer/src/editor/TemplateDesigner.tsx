/**
 * The template designer screen: loads the template (its draft, else its latest version, or a
 * new empty one) and hands it to the workbench. Everything after loading happens in the
 * workbench; this file only deals with where the template comes from.
 */
import { useEffect, useState } from 'react';
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
}

type Loaded =
  | { status: 'loading' }
  | { status: 'ready'; template: Template; openedFrom: OpenedFrom; origin: string }
  | { status: 'error'; message: string };

export function TemplateDesigner({
  api,
  templateKey,
  onOpenSimulation,
  readOnly = false,
}: TemplateDesignerProps) {
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setLoaded({ status: 'loading' });
    const load = async (): Promise<Loaded> => {
      if (templateKey === undefined) {
        return {
          status: 'ready',
          template: emptyTemplate(await freshKey(api)),
          openedFrom: 'new',
          origin: 'new template',
        };
      }
      const editable = await loadEditable(api, templateKey, { draft: !readOnly });
      const coerced = coerceTemplate(editable.body);
      if (!coerced.ok)
        return { status: 'error', message: `the stored draft cannot be edited: ${coerced.reason}` };
      const origin =
        editable.source === 'draft'
          ? 'draft'
          : readOnly
            ? `published version ${editable.version}`
            : `published version ${editable.version} (no draft yet)`;
      return {
        status: 'ready',
        template: coerced.template,
        openedFrom: editable.source,
        origin,
      };
    };
    load()
      .then((result) => live && setLoaded(result))
      .catch(
        (error: unknown) => live && setLoaded({ status: 'error', message: describeFailure(error) }),
      );
    return () => {
      live = false;
    };
  }, [api, templateKey, attempt, readOnly]);

  if (loaded.status === 'loading') {
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
        key={`${templateKey ?? ''}:${attempt}`}
        api={api}
        initial={loaded.template}
        openedFrom={loaded.openedFrom}
        origin={loaded.origin}
        readOnly={readOnly}
        {...(onOpenSimulation && { onOpenSimulation })}
      />
    </ReactFlowProvider>
  );
}
