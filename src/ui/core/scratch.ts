// The notebook the page opens when no lesson is chosen: a few cells that show how ConvLab works.
import { newCellId, type CellModel, type CellType, type NotebookModel, KERNELSPEC, LANGUAGE_INFO } from '../../notebook/model';

export interface CellSpec {
  cell_type: CellType | 'raw';
  source: string | string[];
}

/** Builds a notebook from plain cell specs (the e2e hook and the scratch notebook use it). */
export function notebookFromCells(cells: Array<CellSpec | string>, title = 'Scratch notebook', id = 'scratch'): NotebookModel {
  const models: CellModel[] = cells.map((spec) => {
    const { cell_type, source } = typeof spec === 'string' ? { cell_type: 'code' as const, source: spec } : spec;
    return {
      id: newCellId(),
      type: cell_type === 'code' ? 'code' : 'markdown',
      source: Array.isArray(source) ? source.join('') : source,
      outputs: [],
      executionCount: null,
      metadata: {},
    };
  });
  return {
    id,
    info: { id, title, summary: '', minutes: 0, version: 0 },
    cells: models,
    metadata: { kernelspec: KERNELSPEC, language_info: LANGUAGE_INFO },
  };
}

export function scratchNotebook(): NotebookModel {
  return notebookFromCells([
    {
      cell_type: 'markdown',
      source:
        '# Scratch notebook\n\nCells are TypeScript and share one scope. `tf` is TensorFlow.js on WebGPU. ' +
        'Run a cell with **Shift+Enter** (run and move on) or **Ctrl+Enter** (run in place).',
    },
    'const x = tf.randomNormal([2, 3]);\nx',
    'x.shape',
    "const y = tf.relu(x).sum();\nconsole.log('sum of relu(x):', (await y.data())[0]);",
  ]);
}
