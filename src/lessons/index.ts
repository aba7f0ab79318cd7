// The lesson registry. Each lesson file carries its own index entry under metadata.convlab (title, summary,
// minutes, version, and `order`: its place in the course); nothing here repeats it. The index page needs only
// those entries, so they are read at build time (scripts/vite-lesson-metadata.mjs) into a few hundred bytes,
// while each lesson itself loads lazily as its own chunk.

import { lessonInfoFrom, notebookFromIpynb } from '../notebook/ipynb';
import type { LessonInfo, NotebookModel } from '../notebook/model';
import { parseNotebookText } from '../notebook/validate';

const files = import.meta.glob<string>('./*.ipynb', { query: '?raw', import: 'default' });
/** Each file's metadata.convlab as it stands (null when it has none). */
const metadata = import.meta.glob<unknown>('./*.ipynb', { query: '?lesson-metadata', import: 'default', eager: true });

function idOf(path: string): string {
  return path.replace(/^\.\//, '').replace(/\.ipynb$/, '');
}

const loaders = new Map(Object.entries(files).map(([path, load]) => [idOf(path), load]));

function titleFromId(id: string): string {
  return id.split(/[-_]/).map((w) => (w ? w[0].toUpperCase() + w.slice(1) : w)).join(' ');
}

/** A lesson's place in the course; a file without one goes last, so a newly added lesson is never invisible. */
function orderOf(convlab: unknown): number {
  const order = (convlab as { order?: unknown } | null)?.order;
  return typeof order === 'number' && Number.isFinite(order) ? order : Number.POSITIVE_INFINITY;
}

const lessons = Object.entries(metadata)
  .map(([path, convlab]) => {
    const id = idOf(path);
    return { info: lessonInfoFrom(id, convlab, titleFromId(id)), order: orderOf(convlab) };
  })
  .sort((a, b) => a.order - b.order || (a.info.id < b.info.id ? -1 : a.info.id > b.info.id ? 1 : 0))
  .map(({ info }) => info);

/** Every bundled lesson for the index page, in course order. */
export function listLessons(): LessonInfo[] {
  return lessons.map((info) => ({ ...info }));
}

export function hasLesson(id: string): boolean {
  return loaders.has(id);
}

/** The lesson as shipped, every cell remembering its original source. Throws only for a broken bundle. */
export async function loadLesson(id: string): Promise<NotebookModel> {
  const load = loaders.get(id);
  if (!load) throw new Error(`There is no lesson "${id}".`);
  const parsed = parseNotebookText(await load());
  if (!parsed.ok) throw new Error(`Lesson "${id}" is not a valid notebook: ${parsed.error}`);
  return notebookFromIpynb(parsed.value, { id, asLesson: true }).notebook;
}
