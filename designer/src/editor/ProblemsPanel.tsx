/**
 * Every validation error of the template as it is now (the shared `validateNewTemplate`), and,
 * after a refused publish, those of the server's that the list does not already hold. A click
 * selects the node or edge at fault, centres it and focuses the field.
 */
import { useState } from 'react';
import type { Template, TemplateError } from '../../../workflows/model';
import { describePath, mergeProblems } from '../logic/problems';

/** A validation error, ours or the server's (whose codes are plain strings on the wire). */
export type Problem = Pick<TemplateError, 'path' | 'message'> & { code: string; nodeId?: string };

export function ProblemsPanel({
  template,
  errors,
  serverErrors,
  onPick,
  readOnly = false,
}: {
  template: Template;
  errors: readonly Problem[];
  /** Errors the API answered a publish with (paths already relative to the template). */
  serverErrors?: readonly Problem[];
  onPick: (problem: Problem) => void;
  /** A viewer who cannot publish: "no problems" without the call to publish. */
  readOnly?: boolean;
}) {
  const [open, setOpen] = useState(true);
  const { own, serverOnly } = mergeProblems(errors, serverErrors);
  const count = own.length + serverOnly.length;
  return (
    <section className="gh-problems" aria-label="Problems" data-testid="problems">
      <header>
        <button
          type="button"
          className="gh-link"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
        >
          {open ? '▾' : '▸'} Problems
        </button>
        <span className={count ? 'gh-count is-bad' : 'gh-count is-ok'} data-testid="problems-count">
          {count === 0 ? 'valid' : `${count} problem${count === 1 ? '' : 's'}`}
        </span>
      </header>
      {open && (
        // Focusable: when it scrolls (a short screen) with no link in it, the keyboard still can.
        <div className="gh-problems-body" tabIndex={0}>
          {count === 0 && (
            <p className="gh-muted gh-small">
              {readOnly ? 'No problems.' : 'No problems: this template can be published.'}
            </p>
          )}
          {own.length > 0 && (
            <List template={template} items={own} onPick={onPick} testPrefix="problem" />
          )}
          {serverOnly.length > 0 && (
            <>
              <h3 className="gh-small">Also refused by the server</h3>
              <List
                template={template}
                items={serverOnly}
                onPick={onPick}
                testPrefix="server-problem"
              />
            </>
          )}
        </div>
      )}
    </section>
  );
}

function List({
  template,
  items,
  onPick,
  testPrefix,
}: {
  template: Template;
  items: readonly Problem[];
  onPick: (problem: Problem) => void;
  testPrefix: string;
}) {
  return (
    <ul className="gh-problem-list" data-testid={`${testPrefix}s-list`}>
      {items.map((problem, i) => (
        <li key={i}>
          <button
            type="button"
            data-testid={`${testPrefix}-${i}`}
            data-code={problem.code}
            onClick={() => onPick(problem)}
          >
            <span className="gh-problem-message">{problem.message}</span>
            <span className="gh-problem-path">{describePath(template, problem.path)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
