// The home page list: one link per lesson, named by its title, with what the learner has done so far.

import type { LessonInfo } from '../../notebook/model';
import type { ProgressSummary, SavedSummary } from '../../notebook/persistence';
import { lessonHref } from './routes';

export interface LessonIndexProps {
  lessons: LessonInfo[];
  /** Keyed by lesson id; lessons without an entry show no progress line. */
  progress?: Record<string, ProgressSummary | undefined>;
  /** Imported notebooks saved in this browser (origin 'imported'); lesson copies are ignored here. */
  imported?: SavedSummary[];
}

function progressText(p: ProgressSummary): string {
  const parts = [`${p.cellsRun} of ${p.codeCells} cells run`];
  if (p.cellsEdited > 0) parts.push(`${p.cellsEdited} edited`);
  return parts.join(' · ');
}

export function LessonIndex({ lessons, progress = {}, imported = [] }: LessonIndexProps) {
  const importedOnly = imported.filter((s) => s.origin === 'imported');
  return (
    <nav className="lesson-index" aria-label="Lessons">
      <ol className="lesson-list">
        {lessons.map((lesson) => {
          const p = progress[lesson.id];
          return (
            <li key={lesson.id} className="lesson-entry" data-lesson-id={lesson.id}>
              <a href={lessonHref(lesson.id)} className="lesson-link">
                {lesson.title}
              </a>
              {lesson.minutes > 0 && <span className="lesson-minutes">{lesson.minutes} min</span>}
              {lesson.summary && <p className="lesson-summary">{lesson.summary}</p>}
              {p && (p.cellsRun > 0 || p.cellsEdited > 0) && <p className="lesson-progress">{progressText(p)}</p>}
            </li>
          );
        })}
      </ol>
      {importedOnly.length > 0 && (
        <section className="imported-list" aria-label="Imported notebooks">
          <h2>Imported notebooks</h2>
          <ul>
            {importedOnly.map((s) => (
              <li key={s.id} data-lesson-id={s.id}>
                <a href={lessonHref(s.id)}>{s.title}</a>
                <span className="lesson-saved-at"> saved {new Date(s.savedAt).toLocaleString()}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </nav>
  );
}
