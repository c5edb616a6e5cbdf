/**
 * Published versions of the template (GET versions): open one in the designer, simulate it,
 * or pick two (or one and the current canvas) to compare in the diff view.
 */
import { useEffect, useState } from 'react';
import type { Api } from '../api/client';
import type { Template } from '../../../workflows/model';
import {
  describeFailure,
  getVersion,
  listVersions,
  type TemplateVersionInfo,
} from './templates-api';

/** The value of the "current canvas" choice in the compare selects. */
const CURRENT = 'current';

export interface Comparison {
  a: Template;
  aLabel: string;
  b: Template;
  bLabel: string;
  /** A project seen through the diff (impact): the nodes it stands in now, and would. */
  project?: { now: string[]; would: string[] };
}

export function VersionsPanel({
  api,
  templateKey,
  current,
  refresh,
  onOpen,
  onSimulate,
  onCompare,
}: {
  api: Api;
  templateKey: string;
  current: Template;
  /** Changes after a publish, to reload the list. */
  refresh: number;
  onOpen: (template: Template, version: number) => void;
  onSimulate?: (version: number) => void;
  onCompare: (comparison: Comparison) => void;
}) {
  const [versions, setVersions] = useState<TemplateVersionInfo[]>();
  const [error, setError] = useState<string>();
  const [a, setA] = useState('');
  const [b, setB] = useState(CURRENT);

  useEffect(() => {
    let live = true;
    setError(undefined);
    listVersions(api, templateKey)
      .then((items) => {
        if (!live) return;
        setVersions(items);
        const last = items[items.length - 1];
        setA((chosen) => chosen || (last ? String(last.version) : ''));
      })
      .catch((e: unknown) => {
        if (!live) return;
        setVersions([]);
        setError(describeFailure(e));
      });
    return () => {
      live = false;
    };
  }, [api, templateKey, refresh]);

  const load = async (choice: string): Promise<{ template: Template; label: string }> =>
    choice === CURRENT
      ? { template: current, label: 'current canvas' }
      : {
          template: (await getVersion(api, templateKey, Number(choice))).template,
          label: `v${choice}`,
        };

  const options = [
    ...(versions ?? []).map((v) => ({
      value: String(v.version),
      label: `v${v.version} — ${v.name}`,
    })),
    { value: CURRENT, label: 'Current canvas (unsaved edits included)' },
  ];

  return (
    <section className="gh-versions" aria-label="Versions" data-testid="versions">
      <h2 className="gh-panel-title">Versions of {templateKey}</h2>
      {error && <p className="gh-field-errors">{error}</p>}
      {!versions && <p className="gh-muted">Loading…</p>}
      {versions?.length === 0 && !error && <p className="gh-muted">Not published yet.</p>}
      <ol className="gh-version-list" data-testid="versions-list">
        {[...(versions ?? [])].reverse().map((v) => (
          <li key={v.version} data-testid={`version-${v.version}`}>
            <div>
              <strong>v{v.version}</strong> {v.name}
              <div className="gh-muted gh-small">
                {new Date(v.publishedAt).toLocaleString()} ·{' '}
                {v.publishedByName ?? (v.publishedBy === 'system' ? 'built in' : v.publishedBy)}
              </div>
            </div>
            <div className="gh-actions">
              <button
                type="button"
                data-testid={`version-open-${v.version}`}
                onClick={() => {
                  getVersion(api, templateKey, v.version)
                    .then((full) => onOpen(full.template, v.version))
                    .catch((e: unknown) => setError(describeFailure(e)));
                }}
              >
                Open
              </button>
              {onSimulate && (
                <button
                  type="button"
                  data-testid={`version-simulate-${v.version}`}
                  onClick={() => onSimulate(v.version)}
                >
                  Simulate
                </button>
              )}
            </div>
          </li>
        ))}
      </ol>
      <fieldset className="gh-section">
        <legend>Compare</legend>
        <div className="gh-field">
          <label htmlFor="gh-diff-a">From</label>
          <select
            id="gh-diff-a"
            data-testid="diff-a"
            value={a}
            onChange={(e) => setA(e.target.value)}
          >
            <option value="">—</option>
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div className="gh-field">
          <label htmlFor="gh-diff-b">To</label>
          <select
            id="gh-diff-b"
            data-testid="diff-b"
            value={b}
            onChange={(e) => setB(e.target.value)}
          >
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          data-testid="diff-compare"
          disabled={!a || !b}
          onClick={() => {
            Promise.all([load(a), load(b)])
              .then(([x, y]) =>
                onCompare({ a: x.template, aLabel: x.label, b: y.template, bLabel: y.label }),
              )
              .catch((e: unknown) => setError(describeFailure(e)));
          }}
        >
          Show differences
        </button>
      </fieldset>
    </section>
  );
}
