/**
 * The simulation screen: picks what to simulate (the draft or a published version), loads and
 * validates it, and runs it in the browser with the workflow's own interpreter. An invalid
 * draft is not simulated — the interpreter trusts its template — its problems are listed.
 */
import { useEffect, useState } from 'react';
import type { Api } from '../api/client';
import { validateNewTemplate, type Template, type TemplateError } from '../../../workflows/model';
import {
  describeFailure,
  getVersion,
  listVersions,
  loadEditable,
  type TemplateVersionInfo,
} from '../editor/templates-api';
import { pathKey } from '../logic/problems';
import { SimulationView } from './SimulationView';
import '../editor/designer.css';
import './simulation.css';

export interface SimulationProps {
  api: Api;
  templateKey: string;
  /** A published version; absent: the draft (else the latest version). */
  version?: number;
}

type Source = 'draft' | number;
type Loaded =
  | { status: 'loading' }
  | { status: 'ready'; template: Template; label: string }
  | { status: 'invalid'; errors: TemplateError[]; label: string }
  | { status: 'error'; message: string };

async function load(api: Api, key: string, source: Source): Promise<Loaded> {
  if (source !== 'draft') {
    const v = await getVersion(api, key, source);
    return { status: 'ready', template: v.template, label: `version ${source}` };
  }
  const editable = await loadEditable(api, key);
  const label = editable.source === 'draft' ? 'draft' : `version ${editable.version} (no draft)`;
  const validation = validateNewTemplate(editable.body);
  return validation.template
    ? { status: 'ready', template: validation.template, label }
    : { status: 'invalid', errors: validation.errors, label };
}

export function Simulation({ api, templateKey, version }: SimulationProps) {
  const [source, setSource] = useState<Source>(version ?? 'draft');
  const [versions, setVersions] = useState<TemplateVersionInfo[]>([]);
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });

  useEffect(() => setSource(version ?? 'draft'), [version]);
  useEffect(() => {
    let live = true;
    listVersions(api, templateKey)
      .then((items) => live && setVersions(items))
      .catch(() => live && setVersions([]));
    return () => {
      live = false;
    };
  }, [api, templateKey]);
  useEffect(() => {
    let live = true;
    setLoaded({ status: 'loading' });
    load(api, templateKey, source)
      .then((result) => live && setLoaded(result))
      .catch(
        (error: unknown) => live && setLoaded({ status: 'error', message: describeFailure(error) }),
      );
    return () => {
      live = false;
    };
  }, [api, templateKey, source]);

  const picker = (
    <label className="gh-sim-source">
      Simulate{' '}
      <select
        data-testid="sim-source"
        value={String(source)}
        onChange={(e) => setSource(e.target.value === 'draft' ? 'draft' : Number(e.target.value))}
      >
        <option value="draft">the draft</option>
        {versions.map((v) => (
          <option key={v.version} value={v.version}>
            version {v.version} — {v.name}
          </option>
        ))}
      </select>{' '}
      of <strong>{templateKey}</strong>
    </label>
  );

  return (
    <div className="gh-sim" data-testid="simulation">
      {/* The screen's main heading, for screen readers: the picker below says it to the eye. */}
      <h1 className="sr-only">Simulation of {templateKey}</h1>
      {loaded.status === 'ready' ? (
        <SimulationView
          key={`${templateKey}:${String(source)}`}
          template={loaded.template}
          label={loaded.label}
          header={picker}
        />
      ) : (
        <>
          <header className="gh-sim-toolbar">{picker}</header>
          {loaded.status === 'loading' && <p data-testid="sim-loading">Loading…</p>}
          {loaded.status === 'error' && (
            <p role="alert" className="gh-bad" data-testid="sim-error">
              {loaded.message}
            </p>
          )}
          {loaded.status === 'invalid' && (
            <div role="alert" data-testid="sim-invalid">
              <p className="gh-bad">
                The {loaded.label} has {loaded.errors.length} problem(s) and cannot be simulated.
                Fix it in the designer first.
              </p>
              <ul>
                {loaded.errors.map((e, i) => (
                  <li key={i}>
                    <code>{pathKey(e.path) || '(template)'}</code> {e.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
    </div>
  );
}
