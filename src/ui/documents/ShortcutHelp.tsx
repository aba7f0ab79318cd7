// The keyboard shortcut panel that "?" opens (wire its toggle to useCommandModeKeys' "help").

import { useEffect, useRef } from 'react';
import { SHORTCUTS } from './command-keys';

export interface ShortcutHelpProps {
  open: boolean;
  onClose: () => void;
}

export function ShortcutHelp({ open, onClose }: ShortcutHelpProps) {
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) closeButton.current?.focus();
  }, [open]);
  if (!open) return null;
  return (
    <div
      role="dialog"
      aria-modal="true"
      aria-labelledby="shortcut-help-title"
      className="shortcut-help"
      onKeyDown={(e) => {
        if (e.key === 'Escape' || e.key === '?') {
          e.preventDefault();
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <h2 id="shortcut-help-title">Keyboard shortcuts</h2>
      <p>Command mode: a cell is selected but you are not typing in it (press Esc to get there).</p>
      <table>
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">Does</th>
            <th scope="col">Mode</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.label}>
              <td>
                <kbd>{s.label}</kbd>
              </td>
              <td>{s.does}</td>
              <td>{s.mode === 'both' ? 'any' : s.mode}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" ref={closeButton} onClick={onClose}>
        Close
      </button>
    </div>
  );
}
