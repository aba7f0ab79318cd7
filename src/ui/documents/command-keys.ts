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

/** One shortcut: what the help panel shows and what interpretKey maps, in one row so the two cannot drift apart. */
export interface Shortcut {
  /** null for a gesture the help explains but no key press produces (double-click). */
  command: Command | null;
  /** KeyboardEvent.key values (letters in lower case). */
  keys: readonly string[];
  /** As the help panel shows it. */
  label: string;
  does: string;
  mode: 'command' | 'edit' | 'both';
  /** Needs Ctrl/Cmd (without Shift) or Shift (without Ctrl/Cmd); these work while editing too. */
  modifier?: 'ctrl' | 'shift';
  /** Matches whatever Shift says ('?' needs Shift on most layouts; arrows and Esc do not care). */
  anyShift?: boolean;
  /** Pressed twice within DOUBLE_KEY_MS. */
  double?: boolean;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { command: 'runAndAdvance', keys: ['Enter'], modifier: 'shift', label: 'Shift+Enter', does: 'Run the cell and select the next one', mode: 'both' },
  { command: 'run', keys: ['Enter'], modifier: 'ctrl', label: 'Ctrl+Enter', does: 'Run the cell', mode: 'both' },
  { command: 'commandMode', keys: ['Escape'], anyShift: true, label: 'Esc', does: 'Leave the editor (command mode)', mode: 'both' },
  { command: 'edit', keys: ['Enter'], anyShift: true, label: 'Enter', does: 'Edit the selected cell', mode: 'command' },
  { command: 'selectPrevious', keys: ['ArrowUp', 'k', 'K'], anyShift: true, label: '↑ / K', does: 'Select the cell above', mode: 'command' },
  { command: 'selectNext', keys: ['ArrowDown', 'j', 'J'], anyShift: true, label: '↓ / J', does: 'Select the cell below', mode: 'command' },
  { command: 'insertAbove', keys: ['a'], label: 'A', does: 'Insert a cell above', mode: 'command' },
  { command: 'insertBelow', keys: ['b'], label: 'B', does: 'Insert a cell below', mode: 'command' },
  { command: 'delete', keys: ['d'], double: true, label: 'D, D', does: 'Delete the cell', mode: 'command' },
  { command: 'undoDelete', keys: ['z'], label: 'Z', does: 'Undo the last cell deletion', mode: 'command' },
  { command: 'toMarkdown', keys: ['m'], label: 'M', does: 'Make the cell markdown', mode: 'command' },
  { command: 'toCode', keys: ['y'], label: 'Y', does: 'Make the cell code', mode: 'command' },
  { command: 'help', keys: ['?'], anyShift: true, label: '?', does: 'Show or hide this help', mode: 'command' },
  { command: null, keys: [], label: 'Double-click', does: 'Edit a rendered markdown cell', mode: 'command' },
];

/**
 * What a key means. `editing` is true when the key went to an editor or input: there only Esc (and the run
 * keys, which the cell editor usually binds itself) are ours.
 */
export function interpretKey(event: KeyLike, editing: boolean, state: KeyState, now: number): KeyOutcome {
  const idle: KeyState = { pendingDeleteAt: null };
  const none: KeyOutcome = { command: null, state: idle };
  const mod = Boolean(event.ctrlKey || event.metaKey);
  const shift = Boolean(event.shiftKey);
  const modifier = mod && !shift ? 'ctrl' : shift && !mod ? 'shift' : undefined;
  const withModifier = SHORTCUTS.find((s) => s.modifier && s.modifier === modifier && s.keys.includes(event.key));
  if (withModifier) return { command: withModifier.command, state: idle };
  if (editing) return event.key === 'Escape' ? { command: 'commandMode', state: idle } : none;
  if (mod || event.altKey) return none;
  const plain = SHORTCUTS.filter((s) => !s.modifier && s.command);
  const anyShift = plain.find((s) => s.anyShift && s.keys.includes(event.key));
  if (anyShift) return { command: anyShift.command, state: idle };
  if (shift) return none;
  const letter = plain.find((s) => !s.anyShift && s.keys.includes(event.key.toLowerCase()));
  if (!letter) return none;
  if (!letter.double) return { command: letter.command, state: idle };
  if (state.pendingDeleteAt !== null && now - state.pendingDeleteAt <= DOUBLE_KEY_MS) return { command: letter.command, state: idle };
  return { command: null, state: { pendingDeleteAt: now } };
}
