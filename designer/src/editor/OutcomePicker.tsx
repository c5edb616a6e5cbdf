/**
 * Asks which outcome a new edge carries when its source can still take several. Only free
 * outcomes are offered (logic/edges.ts), so whatever is picked is a valid edge. It takes the
 * focus while open and, however it closes (a choice, Cancel, Escape), gives it back to what had
 * it: the card the connection was drawn from.
 */
import { useLayoutEffect, useRef } from 'react';
import type { Outcome } from '../../../workflows/model';
import type { XY } from '../logic/canvas';

export function OutcomePicker({
  options,
  at,
  onPick,
  onCancel,
}: {
  options: readonly Outcome[];
  at: XY;
  onPick: (on: Outcome) => void;
  onCancel: () => void;
}) {
  const first = useRef<HTMLButtonElement>(null);
  // Before paint, so the opener is read before anything moves the focus; undone as it unmounts.
  useLayoutEffect(() => {
    const opener = document.activeElement;
    first.current?.focus();
    return () => {
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, []);
  return (
    <div
      className="gh-picker"
      role="dialog"
      aria-label="Choose the edge's outcome"
      data-testid="outcome-picker"
      style={{ left: at.x, top: at.y }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onCancel();
      }}
    >
      <div className="gh-picker-title">Edge on…</div>
      {options.map((on, i) => (
        <button
          key={on}
          ref={i === 0 ? first : undefined}
          type="button"
          className={`gh-outcome out-${on}`}
          data-testid={`outcome-${on}`}
          onClick={() => onPick(on)}
        >
          {on}
        </button>
      ))}
      <button type="button" className="gh-link" data-testid="outcome-cancel" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
