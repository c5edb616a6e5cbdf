/**
 * Designer keyboard shortcuts: undo (Ctrl/Cmd+Z), redo (Shift+Ctrl/Cmd+Z, Ctrl+Y), delete
 * (Delete/Backspace), copy/paste (Ctrl/Cmd+C/V). They step aside while a form field has focus,
 * so typing, text undo and text copy/paste keep working there as usual.
 */
import { useEffect, useRef } from 'react';

/** A handler returning false did nothing, so the browser's default is left alone. */
type Handler = () => boolean | void;

export interface ShortcutHandlers {
  undo: Handler;
  redo: Handler;
  remove: Handler;
  copy: Handler;
  paste: Handler;
}

function isTextTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}

export function useShortcuts(handlers: ShortcutHandlers, enabled = true): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || isTextTarget(event.target)) return;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      let run: Handler | undefined;
      if (mod && key === 'z') run = event.shiftKey ? ref.current.redo : ref.current.undo;
      else if (mod && key === 'y') run = ref.current.redo;
      else if (mod && key === 'c') run = ref.current.copy;
      else if (mod && key === 'v') run = ref.current.paste;
      else if (!mod && (event.key === 'Delete' || event.key === 'Backspace'))
        run = ref.current.remove;
      if (!run) return;
      if (run() !== false) event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
