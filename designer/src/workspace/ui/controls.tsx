/** Form building blocks: a modal dialog (native `<dialog>`, so focus and Esc behave) and tabs. */
import { useEffect, useId, useRef, type ReactNode } from 'react';

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
