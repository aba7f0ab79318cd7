// Jupyter command-mode keys on the document, dispatched to the notebook's own callbacks.

import { useEffect, useRef } from 'react';
import { INITIAL_KEY_STATE, interpretKey, type Command, type KeyState } from './command-keys';

export type CommandHandlers = Partial<Record<Command, () => void>>;

export interface CommandModeOptions {
  /** Off while a dialog is open, or on the index page. */
  enabled?: boolean;
  /**
   * Whether the key went to an editor. Defaults to: focus is in an input, textarea, select,
   * contenteditable or a Monaco editor.
   */
  isEditing?: (target: EventTarget | null) => boolean;
}

export function isEditableTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.closest('.monaco-editor')) return true;
  if (target.isContentEditable) return true;
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Keys with a handler are consumed (preventDefault); keys without one pass through untouched, so the app
 * can adopt the commands one by one. Handlers are read through a ref: pass a fresh object each render.
 */
export function useCommandModeKeys(handlers: CommandHandlers, options: CommandModeOptions = {}): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  const state = useRef<KeyState>(INITIAL_KEY_STATE);
  const { enabled = true, isEditing = isEditableTarget } = options;
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const editing = isEditing(event.target);
      const outcome = interpretKey(event, editing, state.current, performance.now());
      state.current = outcome.state;
      if (!outcome.command) return;
      // In an editor, the run keys belong to the editor's own bindings; only Esc is taken over here.
      if (editing && outcome.command !== 'commandMode') return;
      const handler = latest.current[outcome.command];
      if (!handler) return;
      event.preventDefault();
      handler();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [enabled, isEditing]);
}
