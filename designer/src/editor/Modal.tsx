/**
 * The designer's modal overlay (import, version diff) as a native `<dialog>` shown with
 * `showModal()`: the page behind is inert, so Tab cannot leave it; Escape asks `onClose`; and
 * the focus goes back to what had it when the dialog opened (the button that opened it).
 */
import { useLayoutEffect, useRef, type ReactNode } from 'react';

export function Modal({
  labelledBy,
  testId,
  onClose,
  children,
}: {
  labelledBy: string;
  testId: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  // Before paint, so it never shows as a plain box; undone as it unmounts.
  useLayoutEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement;
    dialog?.showModal();
    return () => {
      dialog?.close();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className="gh-overlay"
      aria-labelledby={labelledBy}
      data-testid={testId}
      onCancel={(event) => {
        // The owner unmounts it: the browser's own closing would leave React's tree behind.
        event.preventDefault();
        onClose();
      }}
    >
      {children}
    </dialog>
  );
}
