/**
 * Import a template from a JSON file or pasted text. It is validated before loading and every
 * error is listed; a template with errors can still be loaded (a draft may be invalid), the
 * problems panel then shows them as for any edit. Only non-objects are refused outright.
 */
import { useEffect, useRef, useState } from 'react';
import { validateNewTemplate, type Template, type TemplateError } from '../../../workflows/model';
import { coerceTemplate } from '../logic/draft';
import { pathKey } from '../logic/problems';
import { Modal } from './Modal';

type Checked =
  | { ok: true; template: Template; errors: TemplateError[]; notes: string[] }
  | { ok: false; reason: string };

export function checkImport(text: string): Checked {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      reason: `not JSON: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const coerced = coerceTemplate(json);
  if (!coerced.ok) return coerced;
  return {
    ok: true,
    template: coerced.template,
    errors: validateNewTemplate(json).errors,
    notes: coerced.notes,
  };
}

export function ImportDialog({
  onLoad,
  onClose,
}: {
  onLoad: (template: Template) => void;
  onClose: () => void;
}) {
  const [text, setText] = useState('');
  const [readError, setReadError] = useState<string>();
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => area.current?.focus(), []);
  const checked = text.trim() ? checkImport(text) : undefined;
  return (
    <Modal labelledBy="gh-import-title" testId="import-dialog" onClose={onClose}>
      <div className="gh-dialog">
        <h2 id="gh-import-title">Import a template</h2>
        <div className="gh-field">
          <label htmlFor="gh-import-file">From a JSON file</label>
          <input
            id="gh-import-file"
            type="file"
            accept="application/json,.json"
            data-testid="import-file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) {
                setReadError(undefined);
                file
                  .text()
                  .then(setText, (error: unknown) =>
                    setReadError(
                      `could not read ${file.name}: ${error instanceof Error ? error.message : 'unknown error'}`,
                    ),
                  );
              }
            }}
          />
        </div>
        <div className="gh-field">
          <label htmlFor="gh-import-text">Or paste JSON</label>
          <textarea
            id="gh-import-text"
            ref={area}
            rows={10}
            data-testid="import-text"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        {readError !== undefined && (
          <p className="gh-field-errors" data-testid="import-read-error">
            {readError}
          </p>
        )}
        {checked && !checked.ok && (
          <p className="gh-field-errors" data-testid="import-error">
            {checked.reason}
          </p>
        )}
        {checked?.ok && (
          <div data-testid="import-result">
            <p className={checked.errors.length ? 'gh-bad' : 'gh-ok'}>
              {checked.errors.length
                ? `${checked.errors.length} validation error(s): it loads as an invalid draft.`
                : 'A valid template.'}
            </p>
            <ul className="gh-import-errors" data-testid="import-errors">
              {checked.errors.map((e, i) => (
                <li key={i}>
                  <code>{pathKey(e.path) || '(template)'}</code> {e.message}
                </li>
              ))}
              {checked.notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          </div>
        )}
        <div className="gh-actions">
          <button
            type="button"
            className="gh-primary"
            data-testid="import-load"
            disabled={!checked?.ok}
            onClick={() => checked?.ok && onLoad(checked.template)}
          >
            Load into designer
          </button>
          <button type="button" data-testid="import-cancel" onClick={onClose}>
            Cancel
          </button>
        </div>
      </div>
    </Modal>
  );
}
