// "Reset cell" (no confirmation: it touches one cell, and the edit can be redone with Ctrl+Z in the editor)
// and "Reset lesson" (asks first: it discards every edit and output of the lesson).

import { useEffect, useRef, useState } from 'react';

export interface ResetCellButtonProps {
  /** Only edited cells can be reset; the button hides otherwise so it never does nothing. */
  edited: boolean;
  onReset: () => void;
}

export function ResetCellButton({ edited, onReset }: ResetCellButtonProps) {
  if (!edited) return null;
  return (
    <button type="button" className="reset-cell" onClick={onReset} title="Put back the lesson's original source for this cell">
      Reset cell
    </button>
  );
}

/** The "edited" mark beside a cell whose source differs from the lesson's. */
export function EditedMark({ edited }: { edited: boolean }) {
  if (!edited) return null;
  return (
    <span className="edited-mark" data-edited="true" title="You changed this cell; Reset cell restores the original">
      edited
    </span>
  );
}

export interface ResetLessonButtonProps {
  lessonTitle: string;
  onReset: () => void;
  disabled?: boolean;
}

export function ResetLessonButton({ lessonTitle, onReset, disabled }: ResetLessonButtonProps) {
  const [asking, setAsking] = useState(false);
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) cancel.current?.focus();
  }, [asking]);
  return (
    <span className="reset-lesson">
      <button type="button" onClick={() => setAsking(true)} disabled={disabled || asking}>
        Reset lesson
      </button>
      {asking && (
        <div
          role="alertdialog"
          aria-modal="false"
          aria-labelledby="reset-lesson-question"
          className="confirm-dialog"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              setAsking(false);
            }
          }}
        >
          <p id="reset-lesson-question">
            Reset “{lessonTitle}”? All your edits and outputs in this lesson will be lost.
          </p>
          <button
            type="button"
            className="danger"
            onClick={() => {
              setAsking(false);
              onReset();
            }}
          >
            Yes, reset
          </button>
          <button type="button" ref={cancel} onClick={() => setAsking(false)}>
            Cancel
          </button>
        </div>
      )}
    </span>
  );
}
