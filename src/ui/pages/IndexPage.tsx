// The home page (#/): every lesson with the learner's progress, notebooks they imported, the scratch pad.
import { useEffect, useState } from 'react';
import { listLessons, loadLesson } from '../../lessons';
import type { NotebookStore as DocumentStorage, ProgressSummary, SavedSummary } from '../../notebook/persistence';
import { LessonIndex } from '../documents/LessonIndex';

export function IndexPage({ storage }: { storage: DocumentStorage }) {
  const [lessons] = useState(listLessons);
  const [progress, setProgress] = useState<Record<string, ProgressSummary | undefined>>({});
  const [imported, setImported] = useState<SavedSummary[]>([]);

  useEffect(() => {
    let alive = true;
    // Progress needs each lesson's cells; lessons load lazily, so this fills in after the list shows.
    for (const lesson of lessons) {
      loadLesson(lesson.id)
        .then((original) => storage.progress(original))
        .then(
          (p) => alive && setProgress((all) => ({ ...all, [lesson.id]: p })),
          (err: unknown) => console.warn(`Progress of "${lesson.id}" is unavailable`, err),
        );
    }
    void storage.listSaved().then((saved) => alive && setImported(saved.filter((s) => s.origin === 'imported')));
    return () => {
      alive = false;
    };
  }, [lessons, storage]);

  return (
    <div className="index-page">
      <h2 className="index-heading">Lessons</h2>
      <p className="muted">
        Each lesson is a notebook: read it, run its cells, change them. Your edits are saved in this browser; Reset brings back the original.
      </p>
      <LessonIndex lessons={lessons} progress={progress} imported={imported} />
      <p className="scratch-link">
        Or start from an empty page: <a href="#/scratch">Scratch notebook</a>.
      </p>
    </div>
  );
}
