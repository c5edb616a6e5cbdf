/** Form building blocks: a modal dialog (native `<dialog>`, so focus and Esc behave) and chips. */
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { addIds, parseUserIds } from '../logic/participants';

export function Dialog({
  open,
  title,
  onClose,
  children,
  testId,
  wide = false,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      onClose={onClose}
      data-testid={testId}
    >
      {open && (
        <>
          <header className="dialog-head">
            <h2 id={titleId}>{title}</h2>
            <button type="button" className="icon-btn" aria-label="Close" onClick={onClose}>
              ×
            </button>
          </header>
          <div className="dialog-body">{children}</div>
        </>
      )}
    </dialog>
  );
}

export interface ChipOption {
  value: string;
  label: string;
}

/** A list of ids typed or picked: Enter, comma or leaving the field adds; Backspace removes. */
export function ChipsInput({
  id,
  values,
  onChange,
  options = [],
  invalid = false,
  describedBy,
  testId,
  placeholder = 'user id, Enter to add',
}: {
  id: string;
  values: string[];
  onChange: (values: string[]) => void;
  options?: ChipOption[];
  invalid?: boolean;
  describedBy?: string;
  testId?: string;
  placeholder?: string;
}) {
  const [text, setText] = useState('');
  const listId = `${id}-options`;
  const commit = () => {
    const ids = parseUserIds(text);
    if (ids.length > 0) onChange(addIds(values, ids));
    setText('');
  };
  const labelOf = (v: string) => options.find((o) => o.value === v)?.label;
  return (
    <div className={invalid ? 'chips invalid' : 'chips'} data-testid={testId && `${testId}-chips`}>
      {values.map((v) => (
        <span className="chip" key={v} data-value={v}>
          {labelOf(v) ? `${labelOf(v)} (${v})` : v}
          <button
            type="button"
            aria-label={`Remove ${v}`}
            onClick={() => onChange(values.filter((x) => x !== v))}
          >
            ×
          </button>
        </span>
      ))}
      <input
        id={id}
        value={text}
        list={options.length > 0 ? listId : undefined}
        placeholder={values.length === 0 ? placeholder : ''}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        data-testid={testId}
        onChange={(e) => {
          const value = e.target.value;
          // Picking from the datalist replaces the text at once: take it as a chip.
          if (options.some((o) => o.value === value)) {
            onChange(addIds(values, [value]));
            setText('');
          } else setText(value);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ',') {
            e.preventDefault();
            commit();
          } else if (e.key === 'Backspace' && text === '' && values.length > 0) {
            onChange(values.slice(0, -1));
          }
        }}
        onBlur={commit}
      />
      {options.length > 0 && (
        <datalist id={listId}>
          {options
            .filter((o) => !values.includes(o.value))
            .map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
        </datalist>
      )}
    </div>
  );
}

/** Tabs as links (each tab is a route), marked for assistive technology. */
export function TabLinks({
  tabs,
  current,
  label,
  testIdPrefix,
}: {
  tabs: { key: string; label: ReactNode; href: string }[];
  current: string;
  label: string;
  testIdPrefix: string;
}) {
  return (
    <nav className="tabs" aria-label={label}>
      {tabs.map((t) => (
        <a
          key={t.key}
          href={t.href}
          className={t.key === current ? 'tab current' : 'tab'}
          aria-current={t.key === current ? 'page' : undefined}
          data-testid={`${testIdPrefix}-${t.key}`}
        >
          {t.label}
        </a>
      ))}
    </nav>
  );
}
