/**
 * Saving and publishing from the designer. Publish always saves first (the API publishes the
 * stored draft), and a refusal (422) keeps the server's errors, tied to the exact template
 * snapshot they were about, so the problems panel shows them until the next edit.
 */
import { useCallback, useState } from 'react';
import { ApiError, type Api } from '../api/client';
import { Slug, type Template } from '../../../workflows/model';
import { fromServerPath, publishRefusedText } from '../logic/problems';
import { validateInDesigner } from '../logic/validation';
import type { Problem } from './ProblemsPanel';
import { describeFailure, publishDraft, saveDraft } from './templates-api';
import type { Notice } from './Toolbar';

/** Where the canvas stands against the server: its draft, or a published version only. */
export type SaveState = 'unsaved' | 'saved' | 'published';

/**
 * `opened` is what the canvas was loaded from: the stored draft, or a published version of a
 * template with no draft (nothing is unsaved then either, but there is no draft to publish).
 * `onSaved` hears the key of every successful save (the route follows a new template's).
 */
export function usePersistence(
  api: Api,
  template: Template,
  opened: { template: Template; from: 'draft' | 'version' } | undefined,
  onSaved?: (key: string) => void,
) {
  const [saved, setSaved] = useState(opened?.template);
  const [hasDraft, setHasDraft] = useState(opened?.from === 'draft');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>();
  const [refused, setRefused] = useState<{ for: Template; errors: Problem[] }>();
  const [published, setPublished] = useState(0);

  const save = useCallback(async (): Promise<boolean> => {
    if (!Slug.safeParse(template.key).success) {
      setNotice({
        kind: 'error',
        text: `Set a valid template key (a slug) before saving; "${template.key}" is not one.`,
      });
      return false;
    }
    setBusy(true);
    try {
      const result = await saveDraft(api, template);
      setSaved(template);
      setHasDraft(true);
      setNotice({
        kind: result.valid ? 'ok' : 'info',
        text: result.valid
          ? `Draft "${template.key}" saved.`
          : `Draft "${template.key}" saved with ${result.errors.length} problem(s).`,
      });
      onSaved?.(template.key);
      return true;
    } catch (error) {
      setNotice({ kind: 'error', text: `Saving failed: ${describeFailure(error)}` });
      return false;
    } finally {
      setBusy(false);
    }
  }, [api, template, onSaved]);

  const publish = useCallback(async (): Promise<number | undefined> => {
    if (!(await save())) return undefined;
    setBusy(true);
    try {
      const { version } = await publishDraft(api, template.key);
      setRefused(undefined);
      setPublished((n) => n + 1);
      setNotice({ kind: 'ok', text: `Published "${template.key}" as version ${version}.` });
      return version;
    } catch (error) {
      if (error instanceof ApiError && error.problem.status === 422) {
        const errors = error.problem.errors.map((e) => ({ ...e, path: fromServerPath(e.path) }));
        setRefused({ for: template, errors });
        // The problems list shows the designer's own errors of this template beside these.
        const own = validateInDesigner(template).errors;
        setNotice({ kind: 'error', text: publishRefusedText(own, errors) });
      } else {
        setNotice({ kind: 'error', text: `Publishing failed: ${describeFailure(error)}` });
      }
      return undefined;
    } finally {
      setBusy(false);
    }
  }, [api, save, template]);

  /**
   * Takes `arranged` (the template just opened, only laid out to be readable) as what is
   * stored: opening a template never leaves unsaved changes behind. Positions are not content.
   */
  const adopt = useCallback(
    (opened: Template, arranged: Template) =>
      setSaved((current) => (current === opened ? arranged : current)),
    [],
  );

  const dirty = saved !== template;
  const state: SaveState = dirty ? 'unsaved' : hasDraft ? 'saved' : 'published';
  return {
    dirty,
    state,
    markUnsaved: () => setSaved(undefined),
    adopt,
    busy,
    notice,
    setNotice,
    save,
    publish,
    /** Changes after every successful publish (the versions list reloads on it). */
    published,
    serverErrors: refused?.for === template ? refused.errors : undefined,
  };
}
