// The lesson registry. Lesson files load lazily (each is its own chunk); the index page needs only
// titles, so those live in a small eager list kept honest by tests/notebook/lessons-registry.test.ts,
// which checks it against each file's metadata.convlab.

import { notebookFromIpynb } from '../notebook/ipynb';
import type { LessonInfo, NotebookModel } from '../notebook/model';
import { parseNotebookText } from '../notebook/validate';

const files = import.meta.glob('./*.ipynb', { query: '?raw', import: 'default' }) as Record<string, () => Promise<string>>;

function idOf(path: string): string {
  return path.replace(/^\.\//, '').replace(/\.ipynb$/, '');
}

const loaders = new Map(Object.entries(files).map(([path, load]) => [idOf(path), load]));

/** Eager metadata in the order the index shows it; mirrors each lesson's metadata.convlab. */
export const LESSON_METADATA: LessonInfo[] = [
  {
    id: 'welcome',
    title: 'Welcome to ConvLab',
    summary: 'How the notebook works: cells share one scope, top-level await, tensors and their shapes.',
    minutes: 10,
    version: 2,
  },
  {
    id: 'fashion-mnist',
    title: 'Fashion-MNIST: train a CNN in the tab',
    summary: 'Load Fashion-MNIST, train a small CNN with live curves, evaluate it, read its confusion matrix, save and export it.',
    minutes: 30,
    version: 1,
  },
  {
    id: 'resnet',
    title: 'ResNet: residual blocks, v1 and v2',
    summary: 'Build residual blocks with identity and projection shortcuts, compare post- and pre-activation, and read the d2l ResNet-18 layer by layer.',
    minutes: 25,
    version: 2,
  },
  {
    id: 'densenet',
    title: 'DenseNet: dense blocks and transitions',
    summary: "Build d2l's conv block, dense block and transition layer, follow the channels through DenseNet, and compare the BC bottleneck variant.",
    minutes: 25,
    version: 2,
  },
];

function titleFromId(id: string): string {
  return id.split(/[-_]/).map((w) => (w ? w[0].toUpperCase() + w.slice(1) : w)).join(' ');
}

/**
 * Every bundled lesson for the index page. A lesson file not yet listed in LESSON_METADATA still shows
 * (titled from its file name) so a newly added lesson is never invisible.
 */
export function listLessons(): LessonInfo[] {
  const listed = LESSON_METADATA.filter((info) => loaders.has(info.id));
  const known = new Set(listed.map((info) => info.id));
  const extra = [...loaders.keys()]
    .filter((id) => !known.has(id))
    .sort()
    .map((id) => ({ id, title: titleFromId(id), summary: '', minutes: 0, version: 0 }));
  return [...listed, ...extra];
}

export function hasLesson(id: string): boolean {
  return loaders.has(id);
}

/** The raw .ipynb text of a lesson (what the export of an untouched lesson should reproduce). */
export async function loadLessonText(id: string): Promise<string> {
  const load = loaders.get(id);
  if (!load) throw new Error(`There is no lesson "${id}".`);
  return load();
}

/** The lesson as shipped, every cell remembering its original source. Throws only for a broken bundle. */
export async function loadLesson(id: string): Promise<NotebookModel> {
  const text = await loadLessonText(id);
  const parsed = parseNotebookText(text);
  if (!parsed.ok) throw new Error(`Lesson "${id}" is not a valid notebook: ${parsed.error}`);
  return notebookFromIpynb(parsed.value, { id, asLesson: true }).notebook;
}
