/**
 * Picking people by name (issue 10, item 3): a combobox over the user directory
 * (`GET /api/users?q=`, PMO and admin), searching by name or e-mail as one types. Chosen
 * people show as chips with their names; the value stays a list of user ids. Deactivated
 * users, and those the form marks `unavailable`, are listed with the reason but cannot be
 * picked. Keyboard: arrows move, Enter picks, Escape closes,
 * Backspace in an empty field removes the last chip.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSession } from '../../shell/session';
import type { DirectoryEntry } from '../types';

/** How many matches the list shows; typing more narrows it down. */
const SHOWN = 8;
const TYPING_PAUSE_MS = 200;

/** People picked anywhere in this page: their names for the chips. */
const seen = new Map<string, DirectoryEntry>();

/** Someone a picker listed on this page (a form names whom it just sent, before any list does). */
export function listedPerson(userId: string): DirectoryEntry | undefined {
  return seen.get(userId);
}

export function PeoplePicker({
  id,
  values,
  onChange,
  preferred = [],
  preferredLabel,
  invalid = false,
  describedBy,
  testId,
  source = 'listUsers',
  unavailable,
}: {
  id: string;
  values: string[];
  onChange: (values: string[]) => void;
  /** Ids listed first (the demo users who play the role), marked with `preferredLabel`. */
  preferred?: string[];
  preferredLabel?: string;
  invalid?: boolean;
  describedBy?: string;
  testId?: string;
  /**
   * Where to search: the directory (PMO and admin), or the caller's colleagues (people they
   * take part in a project with), which every user may search.
   */
  source?: 'listUsers' | 'colleagues';
  /** People listed but not pickable here, each with why ("already holds this role"). */
  unavailable?: ReadonlyMap<string, string>;
}) {
  const { api, nameOf } = useSession();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const q = useDebounced(text.trim(), TYPING_PAUSE_MS);
  const listId = useId();
  const input = useRef<HTMLInputElement>(null);
  const search = useQuery({
    queryKey: ['directory', source, q],
    queryFn: () => api(source, { query: { q, limit: SHOWN + values.length } }),
    enabled: open,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  for (const entry of search.data?.items ?? []) seen.set(entry.id, entry);
  const rank = (e: DirectoryEntry) => (preferred.includes(e.id) ? 0 : 1);
  const matches = (search.data?.items ?? [])
    .filter((e) => !values.includes(e.id))
    .sort((a, b) => rank(a) - rank(b))
    .slice(0, SHOWN);
  const more = search.data?.nextCursor !== undefined;
  // The list answers what is typed now (not a pause ago, not a previous search still shown).
  const current = q === text.trim() && !search.isPlaceholderData && !search.isFetching;
  // Enter pressed before the answer came: the first match is taken once it is there.
  const [enterPending, setEnterPending] = useState(false);
  useEffect(() => setActive(0), [q]);

  const pick = useCallback(
    (entry: DirectoryEntry | undefined) => {
      if (!entry || whyNotPickable(entry, unavailable) !== undefined) return;
      onChange([...values, entry.id]);
      setText('');
      setActive(0);
      // Closed until the next keystroke: the list would cover what comes next in the form.
      setOpen(false);
      input.current?.focus();
    },
    [onChange, values, unavailable],
  );
  const firstPickable = matches.find((m) => whyNotPickable(m, unavailable) === undefined);
  useEffect(() => {
    if (!enterPending || !current) return;
    setEnterPending(false);
    pick(firstPickable);
  }, [enterPending, current, firstPickable, pick]);
  const labelOf = (userId: string) => seen.get(userId)?.name ?? nameOf(userId);
  const expanded = open && (matches.length > 0 || search.isFetched);
  const optionId = (i: number) => `${listId}-${i}`;

  return (
    <div className="people-picker" data-testid={testId && `${testId}-picker`}>
      <div
        className={invalid ? 'chips invalid' : 'chips'}
        data-testid={testId && `${testId}-chips`}
      >
        {values.map((v) => (
          <span className="chip" key={v} data-value={v} title={seen.get(v)?.email ?? v}>
            {labelOf(v)}
            <button
              type="button"
              aria-label={`Remove ${labelOf(v)}`}
              onClick={() => onChange(values.filter((x) => x !== v))}
            >
              ×
            </button>
          </span>
        ))}
        <input
          ref={input}
          id={id}
          role="combobox"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={expanded && matches[active] ? optionId(active) : undefined}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          autoComplete="off"
          value={text}
          placeholder={values.length === 0 ? 'Search by name or e-mail' : ''}
          data-testid={testId}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            setEnterPending(false);
          }}
          onClick={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              setOpen(true);
              const step = e.key === 'ArrowDown' ? 1 : -1;
              setActive((a) =>
                matches.length === 0 ? 0 : (a + step + matches.length) % matches.length,
              );
            } else if (e.key === 'Enter') {
              // Never submits the form from here: Enter picks.
              e.preventDefault();
              if (current) pick(matches[active]);
              else if (text.trim() !== '') setEnterPending(true);
            } else if (e.key === 'Escape' && open) {
              e.preventDefault();
              e.stopPropagation();
              setOpen(false);
            } else if (e.key === 'Backspace' && text === '' && values.length > 0) {
              onChange(values.slice(0, -1));
            }
          }}
        />
      </div>
      {expanded && (
        <ul
          className="people-options"
          role="listbox"
          id={listId}
          aria-busy={!current}
          data-testid={testId && `${testId}-options`}
          data-query={current ? q : undefined}
        >
          {matches.map((entry, i) => {
            const why = whyNotPickable(entry, unavailable);
            return (
              <li
                key={entry.id}
                id={optionId(i)}
                role="option"
                aria-selected={i === active}
                aria-disabled={why !== undefined || undefined}
                className={i === active ? 'people-option active' : 'people-option'}
                data-testid="people-option"
                data-user-id={entry.id}
                // Before the field's blur: the click must land while the list is still there.
                onMouseDown={(e) => {
                  e.preventDefault();
                  pick(entry);
                }}
                onMouseEnter={() => setActive(i)}
              >
                <span className="people-name">{entry.name}</span>
                <span className="people-email">{entry.email}</span>
                {why !== undefined && <span className="tag">{why}</span>}
                {why === undefined && preferred.includes(entry.id) && preferredLabel && (
                  <span className="tag tag-ops">{preferredLabel}</span>
                )}
              </li>
            );
          })}
          {matches.length === 0 && (
            <li className="people-none" role="option" aria-disabled="true" aria-selected="false">
              {search.isError
                ? 'The directory did not answer.'
                : current
                  ? `Nobody matches “${q}”.`
                  : 'Searching…'}
            </li>
          )}
          {more && matches.length === SHOWN && (
            <li className="people-more muted small" aria-hidden="true">
              More match: type more of the name.
            </li>
          )}
        </ul>
      )}
    </div>
  );
}

/** Why someone cannot be picked here (deactivated, or the form's reason); undefined: they can. */
function whyNotPickable(
  entry: DirectoryEntry,
  unavailable: ReadonlyMap<string, string> | undefined,
): string | undefined {
  return entry.active ? unavailable?.get(entry.id) : 'deactivated';
}

/** `value` once it has stopped changing for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
