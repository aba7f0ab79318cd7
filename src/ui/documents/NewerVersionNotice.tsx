// Shown when the bundled lesson changed since the learner's copy was saved. Their copy stays open
// until they choose; taking the update keeps the old copy as a backup in the store.

export interface NewerVersionNoticeProps {
  lessonTitle: string;
  onTakeNewer: () => void;
  onDismiss: () => void;
}

export function NewerVersionNotice({ lessonTitle, onTakeNewer, onDismiss }: NewerVersionNoticeProps) {
  return (
    // A named region inside the notices' live area: role=status belongs to the kernel status bar alone.
    <div role="region" aria-label="Newer version" className="version-notice">
      <span>A newer version of “{lessonTitle}” is available. You are looking at your saved copy.</span>
      <button type="button" onClick={onTakeNewer}>
        Open the new version
      </button>
      <button type="button" onClick={onDismiss}>
        Keep my copy
      </button>
    </div>
  );
}
