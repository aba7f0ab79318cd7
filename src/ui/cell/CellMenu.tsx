import { useEffect, useRef, useState } from 'react';

export interface CellMenuProps {
  label: string;
  onRunFromHere(): void;
  onAddBelow(type: 'code' | 'markdown'): void;
  onMove(delta: -1 | 1): void;
  onDelete(): void;
  canMoveUp: boolean;
  canMoveDown: boolean;
}

/** The less frequent cell actions, behind one button so the cell header stays quiet. */
export function CellMenu({ label, onRunFromHere, onAddBelow, onMove, onDelete, canMoveUp, canMoveDown }: CellMenuProps) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: Event) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('pointerdown', close);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', close);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  const item = (text: string, action: () => void, disabled = false) => (
    <button
      type="button"
      role="menuitem"
      disabled={disabled}
      onClick={() => {
        setOpen(false);
        action();
      }}
    >
      {text}
    </button>
  );
  return (
    <div className="cell-menu" ref={rootRef}>
      <button type="button" className="icon-button" aria-haspopup="menu" aria-expanded={open} aria-label={`${label} menu`} onClick={() => setOpen((o) => !o)}>
        ⋯
      </button>
      {open && (
        <div role="menu" className="cell-menu-items" aria-label={`${label} actions`}>
          {item('Run from here', onRunFromHere)}
          {item('Add code cell below', () => onAddBelow('code'))}
          {item('Add text cell below', () => onAddBelow('markdown'))}
          {item('Move up', () => onMove(-1), !canMoveUp)}
          {item('Move down', () => onMove(1), !canMoveDown)}
          {item('Delete cell', onDelete)}
        </div>
      )}
    </div>
  );
}
