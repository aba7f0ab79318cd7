// Jupyter's command-mode keys as a pure function of key presses, so the mapping is testable without a DOM.
// Command mode = a cell is selected but no editor has focus; edit mode = typing inside a cell.

export type Command =
  | 'commandMode' // Esc: leave the editor, keep the cell selected
  | 'edit' // Enter: edit the selected cell (markdown cells show their source)
  | 'insertAbove' // A
  | 'insertBelow' // B
  | 'delete' // D, D
  | 'toMarkdown' // M
  | 'toCode' // Y
  | 'undoDelete' // Z
  | 'selectPrevious' // Up, K
  | 'selectNext' // Down, J
  | 'run' // Ctrl/Cmd+Enter
  | 'runAndAdvance' // Shift+Enter
  | 'help'; // ?

export interface KeyLike {
  key: string;
  shiftKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

export interface KeyState {
  /** Time of a first "d" still waiting for its second, else null. */
  pendingDeleteAt: number | null;
}

export const INITIAL_KEY_STATE: KeyState = { pendingDeleteAt: null };
/** How long the second D of "D D" may lag behind the first (Jupyter uses about the same). */
export const DOUBLE_KEY_MS = 800;

export interface KeyOutcome {
  command: Command | null;
  state: KeyState;
}

/**
 * What a key means. `editing` is true when the key went to an editor or input: there only Esc (and the run
 * keys, which the cell editor usually binds itself) are ours.
 */
export function interpretKey(event: KeyLike, editing: boolean, state: KeyState, now: number): KeyOutcome {
  const idle: KeyState = { pendingDeleteAt: null };
  const mod = event.ctrlKey || event.metaKey;
  if (event.key === 'Enter' && mod && !event.shiftKey) return { command: 'run', state: idle };
  if (event.key === 'Enter' && event.shiftKey && !mod) return { command: 'runAndAdvance', state: idle };
  if (editing) return { command: event.key === 'Escape' ? 'commandMode' : null, state: idle };
  if (mod || event.altKey) return { command: null, state: idle };
  switch (event.key) {
    case 'Escape':
      return { command: 'commandMode', state: idle };
    case 'Enter':
      return { command: 'edit', state: idle };
    case 'ArrowUp':
    case 'k':
    case 'K':
      return { command: 'selectPrevious', state: idle };
    case 'ArrowDown':
    case 'j':
    case 'J':
      return { command: 'selectNext', state: idle };
    case '?':
      return { command: 'help', state: idle };
  }
  if (event.shiftKey) return { command: null, state: idle };
  switch (event.key.toLowerCase()) {
    case 'a':
      return { command: 'insertAbove', state: idle };
    case 'b':
      return { command: 'insertBelow', state: idle };
    case 'm':
      return { command: 'toMarkdown', state: idle };
    case 'y':
      return { command: 'toCode', state: idle };
    case 'z':
      return { command: 'undoDelete', state: idle };
    case 'd':
      if (state.pendingDeleteAt !== null && now - state.pendingDeleteAt <= DOUBLE_KEY_MS) return { command: 'delete', state: idle };
      return { command: null, state: { pendingDeleteAt: now } };
  }
  return { command: null, state: idle };
}

/** The list the shortcut help panel shows; kept beside the mapping so the two cannot drift apart. */
export const SHORTCUTS: Array<{ keys: string; does: string; mode: 'command' | 'edit' | 'both' }> = [
  { keys: 'Shift+Enter', does: 'Run the cell and select the next one', mode: 'both' },
  { keys: 'Ctrl+Enter', does: 'Run the cell', mode: 'both' },
  { keys: 'Esc', does: 'Leave the editor (command mode)', mode: 'edit' },
  { keys: 'Enter', does: 'Edit the selected cell', mode: 'command' },
  { keys: '↑ / K', does: 'Select the cell above', mode: 'command' },
  { keys: '↓ / J', does: 'Select the cell below', mode: 'command' },
  { keys: 'A', does: 'Insert a cell above', mode: 'command' },
  { keys: 'B', does: 'Insert a cell below', mode: 'command' },
  { keys: 'D, D', does: 'Delete the cell', mode: 'command' },
  { keys: 'Z', does: 'Undo the last cell deletion', mode: 'command' },
  { keys: 'M', does: 'Make the cell markdown', mode: 'command' },
  { keys: 'Y', does: 'Make the cell code', mode: 'command' },
  { keys: '?', does: 'Show or hide this help', mode: 'command' },
  { keys: 'Double-click', does: 'Edit a rendered markdown cell', mode: 'command' },
];
