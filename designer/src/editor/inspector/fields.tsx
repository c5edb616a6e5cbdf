/**
 * Accessible form fields for the inspector. Every field knows its template path: its DOM id is
 * derived from it (so a problem can focus it), its validation messages are looked up by it
 * and bound with aria-describedby, and its test id is `field-<scope><path>`.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { Role } from '../../../../workflows/model';
import { fieldDomId, pathKey } from '../../logic/problems';

export type Path = (string | number)[];

/** Where the fields below sit in the template, and the errors to mark them with. */
export interface Scope {
  base: Path;
  /** Prefix of test ids: "" for nodes, "template." and "edge." for the others. */
  testPrefix: string;
  errors: Map<string, string[]>;
  roles: readonly Role[];
}
export const ScopeContext = createContext<Scope>({
  base: [],
  testPrefix: '',
  errors: new Map(),
  roles: [],
});

export function useField(rel: Path, group = false) {
  const scope = useContext(ScopeContext);
  const full = [...scope.base, ...rel];
  const key = pathKey(full);
  const id = fieldDomId(full);
  // A group (list, checkbox set) also shows its items' errors, e.g. an unknown role at to.1.
  const messages = group
    ? [...scope.errors].filter(([k]) => k === key || k.startsWith(`${key}.`)).flatMap(([, m]) => m)
    : (scope.errors.get(key) ?? []);
  return {
    id,
    testId: `field-${scope.testPrefix}${pathKey(rel)}`,
    messages,
    errorId: `${id}-error`,
    roles: scope.roles,
    aria: {
      'aria-invalid': messages.length > 0 || undefined,
      'aria-describedby': messages.length > 0 ? `${id}-error` : undefined,
    },
  };
}

export function Messages({ id, messages }: { id: string; messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <ul className="gh-field-errors" id={id}>
      {messages.map((m, i) => (
        <li key={i}>{m}</li>
      ))}
    </ul>
  );
}

/**
 * A key other things refer to (a node id, a role key): typed freely, applied on Enter or blur
 * when `problem` finds nothing wrong with it (Escape or a problem restores the current value),
 * so every reference is renamed once, not at each keystroke.
 */
export function RenameField({
  rel,
  label,
  value,
  problem,
  onRename,
}: {
  rel: Path;
  label: string;
  value: string;
  problem: (text: string) => string | undefined;
  onRename: (text: string) => void;
}) {
  const f = useField(rel);
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const wrong = text !== value ? problem(text) : undefined;
  const commit = () => {
    if (text !== value && !wrong) onRename(text);
    else setText(value);
  };
  const messages = [...f.messages, ...(wrong ? [wrong] : [])];
  return (
    <div className="gh-field">
      <label htmlFor={f.id}>{label}</label>
      <input
        id={f.id}
        data-testid={f.testId}
        value={text}
        aria-invalid={messages.length > 0 || undefined}
        aria-describedby={messages.length ? f.errorId : undefined}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') setText(value);
        }}
      />
      <small className="gh-muted">applied on Enter; references follow the rename</small>
      <Messages id={f.errorId} messages={messages} />
    </div>
  );
}

interface Base<T> {
  rel: Path;
  label: string;
  value: T;
  onChange: (value: T) => void;
  hint?: string;
}

export function TextField({
  rel,
  label,
  value,
  onChange,
  hint,
  multiline,
  placeholder,
}: Base<string> & { multiline?: boolean; placeholder?: string }) {
  const f = useField(rel);
  const props = {
    id: f.id,
    'data-testid': f.testId,
    value,
    placeholder,
    ...f.aria,
  };
  return (
    <div className="gh-field">
      <label htmlFor={f.id}>{label}</label>
      {multiline ? (
        <textarea {...props} rows={3} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...props} type="text" onChange={(e) => onChange(e.target.value)} />
      )}
      {hint && <small className="gh-muted">{hint}</small>}
      <Messages id={f.errorId} messages={f.messages} />
    </div>
  );
}

/** An ISO 8601 duration: text with an example, checked by the validator like any field. */
export function DurationField(props: Base<string>) {
  return (
    <TextField placeholder="e.g. P7D, PT4H" hint={props.hint ?? 'ISO 8601 duration'} {...props} />
  );
}

/**
 * A number that may be empty (undefined). The text is kept locally while typing so "0." or an
 * emptied field do not snap back; the value is committed whenever the text parses.
 */
export function NumberField({
  rel,
  label,
  value,
  onChange,
  hint,
  min,
  max,
  step,
}: Base<number | undefined> & { min?: number; max?: number; step?: number }) {
  const f = useField(rel);
  const [text, setText] = useState(value === undefined ? '' : String(value));
  useEffect(() => {
    setText((current) =>
      Number(current) === value && current !== ''
        ? current
        : value === undefined
          ? ''
          : String(value),
    );
  }, [value]);
  return (
    <div className="gh-field">
      <label htmlFor={f.id}>{label}</label>
      <input
        id={f.id}
        data-testid={f.testId}
        type="number"
        inputMode="decimal"
        value={text}
        min={min}
        max={max}
        step={step ?? 'any'}
        {...f.aria}
        onChange={(e) => {
          setText(e.target.value);
          const n = e.target.value.trim() === '' ? undefined : Number(e.target.value);
          if (n === undefined || Number.isFinite(n)) onChange(n);
        }}
      />
      {hint && <small className="gh-muted">{hint}</small>}
      <Messages id={f.errorId} messages={f.messages} />
    </div>
  );
}

export function CheckboxField({ rel, label, value, onChange, hint }: Base<boolean>) {
  const f = useField(rel);
  return (
    <div className="gh-field gh-check">
      <input
        id={f.id}
        data-testid={f.testId}
        type="checkbox"
        checked={value}
        {...f.aria}
        onChange={(e) => onChange(e.target.checked)}
      />
      <label htmlFor={f.id}>{label}</label>
      {hint && <small className="gh-muted">{hint}</small>}
      <Messages id={f.errorId} messages={f.messages} />
    </div>
  );
}

export interface Option {
  value: string;
  label: string;
}

/** A select; `empty` adds a "none" choice that maps to undefined. Unknown values stay shown. */
export function SelectField({
  rel,
  label,
  value,
  onChange,
  options,
  empty,
  hint,
}: Base<string | undefined> & { options: readonly Option[]; empty?: string }) {
  const f = useField(rel);
  const known = value === undefined || value === '' || options.some((o) => o.value === value);
  return (
    <div className="gh-field">
      <label htmlFor={f.id}>{label}</label>
      <select
        id={f.id}
        data-testid={f.testId}
        value={value ?? ''}
        {...f.aria}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
      >
        {(empty !== undefined || value === undefined || value === '') && (
          <option value="">{empty ?? '—'}</option>
        )}
        {!known && <option value={value}>{value} (unknown)</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint && <small className="gh-muted">{hint}</small>}
      <Messages id={f.errorId} messages={f.messages} />
    </div>
  );
}

export function roleOptions(roles: readonly Role[]): Option[] {
  return roles.map((r) => ({
    value: r.key,
    label: `${r.name || r.key}${r.operations ? ' (ops)' : ''}`,
  }));
}

/** One role of the template. */
export function RoleSelect(props: Base<string | undefined> & { empty?: string; hint?: string }) {
  const { roles } = useContext(ScopeContext);
  return <SelectField {...props} options={roleOptions(roles)} />;
}

/** A set of values as a group of checkboxes (roles to notify, decisions, metrics). */
export function CheckGroup({
  rel,
  label,
  value,
  onChange,
  options,
  hint,
}: Base<string[]> & { options: readonly Option[] }) {
  const f = useField(rel, true);
  const unknown = value.filter((v) => !options.some((o) => o.value === v));
  const all = [...options, ...unknown.map((v) => ({ value: v, label: `${v} (unknown)` }))];
  return (
    <fieldset
      className="gh-field gh-group"
      id={f.id}
      tabIndex={-1}
      data-testid={f.testId}
      {...f.aria}
    >
      <legend>{label}</legend>
      {all.map((o) => {
        const id = `${f.id}-${o.value}`;
        return (
          <span key={o.value} className="gh-check">
            <input
              id={id}
              type="checkbox"
              data-testid={`${f.testId}-${o.value}`}
              checked={value.includes(o.value)}
              onChange={(e) =>
                onChange(
                  e.target.checked ? [...value, o.value] : value.filter((v) => v !== o.value),
                )
              }
            />
            <label htmlFor={id}>{o.label}</label>
          </span>
        );
      })}
      {hint && <small className="gh-muted">{hint}</small>}
      <Messages id={f.errorId} messages={f.messages} />
    </fieldset>
  );
}

export function RoleChecks(props: Base<string[]>) {
  const { roles } = useContext(ScopeContext);
  return <CheckGroup {...props} options={roleOptions(roles)} />;
}

/** A titled section; shows errors aimed at the section itself (e.g. "at least one rule"). */
export function Section({
  rel,
  title,
  children,
}: {
  rel?: Path;
  title: string;
  children: ReactNode;
}) {
  const f = useField(rel ?? ['__section'], false);
  return (
    <fieldset className="gh-section" id={rel ? f.id : undefined} tabIndex={rel ? -1 : undefined}>
      <legend>{title}</legend>
      {rel && <Messages id={f.errorId} messages={f.messages} />}
      {children}
    </fieldset>
  );
}
