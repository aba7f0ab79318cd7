import { describe, expect, it } from 'vitest';
import { RAW_CELL_FLAG, exportFileName, notebookFromIpynb, notebookToIpynb, serializeIpynb } from '../../src/notebook/ipynb';
import { joinMultiline, splitLines, type IpynbCodeCell, type IpynbNotebook } from '../../src/notebook/ipynb-format';
import { KERNELSPEC, LANGUAGE_INFO, type NotebookModel } from '../../src/notebook/model';
import { parseNotebookText } from '../../src/notebook/validate';
import { fixtureText, nbformatValidator } from './fixtures';

function load(name: string, asLesson = false): NotebookModel {
  const parsed = parseNotebookText(fixtureText(name));
  if (!parsed.ok) throw new Error(parsed.error);
  return notebookFromIpynb(parsed.value, { id: name.replace('.ipynb', ''), asLesson, fileName: name }).notebook;
}

describe('splitLines / joinMultiline', () => {
  it.each(['', 'a', 'a\n', 'a\nb', 'a\n\nb\n', '\n', '\n\n'])('round-trips %j', (text) => {
    expect(joinMultiline(splitLines(text))).toBe(text);
  });

  it('keeps the newline on every line but the last, as Jupyter writes', () => {
    expect(splitLines('a\nb\n')).toEqual(['a\n', 'b\n']);
    expect(splitLines('a\nb')).toEqual(['a\n', 'b']);
    expect(splitLines('')).toEqual([]);
  });
});

describe('ipynb → model', () => {
  it('joins sources stored as string arrays and keeps single-string sources', () => {
    const nb = load('basic.ipynb');
    expect(nb.cells.map((c) => c.id)).toEqual(['md-1', 'code-1', 'code-2', 'raw-1', 'code-3']);
    expect(nb.cells[1].source).toBe('const a = 1;\nconst b = 2;\na + b');
    expect(nb.cells[2].source).toBe("console.log('single string source')\n// second line");
    expect(nb.cells[4].source).toBe('');
  });

  it('reads metadata.convlab into the lesson info', () => {
    expect(load('basic.ipynb').info).toEqual({ id: 'basic', title: 'Fixture: basic', summary: 'Small notebook for tests', minutes: 1, version: 1 });
  });

  it('keeps outputs in nbformat shapes with multi-line text joined', () => {
    const [stream, result] = load('basic.ipynb').cells[1].outputs;
    expect(stream).toEqual({ output_type: 'stream', name: 'stdout', text: 'line one\nline two\n' });
    expect(result).toEqual({ output_type: 'execute_result', execution_count: 1, data: { 'text/plain': '3' }, metadata: {} });
    const [html, table, error] = load('basic.ipynb').cells[2].outputs;
    expect(html).toMatchObject({ output_type: 'display_data', data: { 'text/html': '<b>bold</b>\n<i>it</i>', 'text/plain': 'bold it' } });
    expect(table).toMatchObject({ data: { 'application/vnd.convlab.table+json': { columns: ['layer', 'params'] } } });
    expect(error).toEqual({ output_type: 'error', ename: 'TypeError', evalue: 'x is not a function', traceback: ['TypeError: x is not a function', '    at Cell 3:1'] });
  });

  it('sets original only for lessons', () => {
    expect(load('basic.ipynb').cells[1].original).toBeUndefined();
    const lesson = load('basic.ipynb', true);
    expect(lesson.cells.every((c) => c.original === c.source)).toBe(true);
  });

  it('gives cells of pre-4.5 files fresh valid ids and titles them from their heading', () => {
    const nb = load('old-minor.ipynb');
    expect(nb.cells).toHaveLength(2);
    for (const cell of nb.cells) expect(cell.id).toMatch(/^[a-zA-Z0-9-_]{1,64}$/);
    expect(new Set(nb.cells.map((c) => c.id)).size).toBe(2);
    expect(nb.info.title).toBe('An nbformat 4.4 notebook');
    expect(nb.cells[1].outputs[0]).toEqual({ output_type: 'stream', name: 'stdout', text: 'hi\n' });
  });

  it('replaces repeated ids and says so', () => {
    const file: IpynbNotebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        { id: 'same', cell_type: 'markdown', metadata: {}, source: 'one' },
        { id: 'same', cell_type: 'markdown', metadata: {}, source: 'two' },
      ],
    };
    const { notebook, warnings } = notebookFromIpynb(file, { id: 'x' });
    expect(notebook.cells[0].id).toBe('same');
    expect(notebook.cells[1].id).not.toBe('same');
    expect(warnings.join(' ')).toMatch(/Cell 2/);
  });
});

describe('model → ipynb', () => {
  it('writes nbformat 4.5 with ids, line arrays and the TypeScript kernelspec', () => {
    const out = notebookToIpynb(load('basic.ipynb'));
    expect(out.nbformat).toBe(4);
    expect(out.nbformat_minor).toBe(5);
    expect(out.metadata.kernelspec).toEqual(KERNELSPEC);
    expect(out.metadata.language_info).toEqual(LANGUAGE_INFO);
    expect(out.metadata.convlab).toEqual({ id: 'basic', title: 'Fixture: basic', summary: 'Small notebook for tests', minutes: 1, version: 1 });
    expect(out.cells[1].source).toEqual(['const a = 1;\n', 'const b = 2;\n', 'a + b']);
    const code = out.cells[1] as IpynbCodeCell;
    expect(code.outputs[0]).toEqual({ output_type: 'stream', name: 'stdout', text: ['line one\n', 'line two\n'] });
  });

  it('keeps ConvLab metadata the model does not hold (a lesson\'s course order), the info winning where both speak', () => {
    const model = load('basic.ipynb');
    model.metadata = { ...model.metadata, convlab: { id: 'old-id', title: 'Old title', order: 3 } };
    expect(notebookToIpynb(model).metadata.convlab).toEqual({ ...model.info, order: 3 });
  });

  it('writes raw cells back as raw, without the internal flag', () => {
    const model = load('basic.ipynb');
    expect(model.cells[3].type).toBe('markdown');
    expect(model.cells[3].metadata[RAW_CELL_FLAG]).toBe(true);
    const raw = notebookToIpynb(model).cells[3];
    expect(raw).toEqual({ id: 'raw-1', cell_type: 'raw', metadata: { format: 'text/plain' }, source: ['raw text stays raw'] });
  });

  it('adds text/plain beside ConvLab MIME types and takes a PNG from the page', () => {
    const model = load('basic.ipynb');
    model.cells[4].outputs = [
      {
        output_type: 'display_data',
        display_id: 'plot-1',
        data: {
          'application/vnd.convlab.plot+json': { title: 'Loss', xLabel: 'step', series: [{ label: 'train' }], rows: [[1, 2.5], [2, 1.25]] },
        },
        metadata: {},
      },
      { output_type: 'display_data', data: { 'application/vnd.convlab.progress+json': { label: 'epoch', value: 2, max: 10, detail: 'ETA 0:10' } }, metadata: {} },
    ];
    const out = notebookToIpynb(model, { imageFor: (cellId, index) => (cellId === 'code-3' && index === 0 ? 'iVBORw0KGgo=' : undefined) });
    const [plot, progress] = (out.cells[4] as IpynbCodeCell).outputs;
    expect(plot).not.toHaveProperty('display_id');
    expect(plot).toMatchObject({ data: { 'text/plain': ['Plot: Loss (2 points at step 2; train 1.25)'], 'image/png': 'iVBORw0KGgo=' } });
    expect(progress).toMatchObject({ data: { 'text/plain': ['epoch: 2/10 · ETA 0:10'] } });
    expect(progress).not.toHaveProperty('data.image/png');
    expect(plot).toMatchObject({ metadata: { convlab_generated: ['text/plain', 'image/png'] } });
    // Re-import drops what export added for Jupyter: the page redraws the plot from its JSON.
    const back = notebookFromIpynb(out, { id: 'again' }).notebook.cells[4].outputs[0];
    expect(back).toEqual({ output_type: 'display_data', data: { 'application/vnd.convlab.plot+json': model.cells[4].outputs[0].output_type === 'display_data' ? model.cells[4].outputs[0].data['application/vnd.convlab.plot+json'] : null }, metadata: {} });
    const table = (out.cells[2] as IpynbCodeCell).outputs[1];
    expect(table).toMatchObject({ data: { 'text/plain': ['layer  params\n', '-----  ------\n', 'conv   448\n', 'dense  1290'] } });
  });

  it('drops the non-nbformat error line and metadata.orig_nbformat', () => {
    const model = load('basic.ipynb');
    model.metadata.orig_nbformat = 3;
    model.cells[4].outputs = [{ output_type: 'error', ename: 'E', evalue: 'v', traceback: [], line: 3 }];
    const out = notebookToIpynb(model);
    expect(out.metadata).not.toHaveProperty('orig_nbformat');
    expect((out.cells[4] as IpynbCodeCell).outputs[0]).toEqual({ output_type: 'error', ename: 'E', evalue: 'v', traceback: [] });
  });

  it('mints ids for cells whose id is missing, invalid or repeated', () => {
    const model = load('basic.ipynb');
    model.cells[1].id = 'not valid!';
    model.cells[2].id = 'md-1';
    const ids = notebookToIpynb(model).cells.map((c) => c.id as string);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-zA-Z0-9-_]{1,64}$/);
    expect(ids[0]).toBe('md-1');
  });

  it('names the file after the title', () => {
    expect(exportFileName(load('basic.ipynb'))).toBe('fixture-basic.ipynb');
  });
});

describe('round trips', () => {
  it.each(['basic.ipynb', 'xss.ipynb', 'old-minor.ipynb'])('%s → model → ipynb → model keeps every cell', (name) => {
    const first = load(name);
    const parsed = parseNotebookText(serializeIpynb(first));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const second = notebookFromIpynb(parsed.value, { id: first.id }).notebook;
    expect(second.cells).toEqual(first.cells);
    expect(second.info).toEqual(first.info);
  });

  it('a 4.5 fixture written by ConvLab re-exports byte-for-byte', () => {
    const text = serializeIpynb(load('basic.ipynb'));
    const again = parseNotebookText(text);
    if (!again.ok) throw new Error(again.error);
    expect(serializeIpynb(notebookFromIpynb(again.value, { id: 'basic' }).notebook)).toBe(text);
  });

  it('the exported file validates against the official nbformat 4.5 schema', () => {
    const validate = nbformatValidator();
    for (const name of ['basic.ipynb', 'xss.ipynb', 'old-minor.ipynb']) {
      const model = load(name);
      model.cells.push({
        id: 'extra',
        type: 'code',
        source: 'x',
        outputs: [{ output_type: 'display_data', display_id: 'd', data: { 'application/vnd.convlab.plot+json': { title: 't', xLabel: 'x', series: [], rows: [] } }, metadata: {} }],
        executionCount: 4,
        metadata: {},
      });
      const ok = validate(JSON.parse(serializeIpynb(model)));
      expect(validate.errors ?? [], name).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it('the schema itself rejects what it should (so the check above can fail)', () => {
    const validate = nbformatValidator();
    const out = notebookToIpynb(load('basic.ipynb')) as unknown as { cells: Array<Record<string, unknown>> };
    delete out.cells[0].id;
    expect(validate(out)).toBe(false);
    const withDisplayId = notebookToIpynb(load('basic.ipynb')) as unknown as { cells: Array<{ outputs?: Array<Record<string, unknown>> }> };
    withDisplayId.cells[2].outputs![0].display_id = 'x';
    expect(validate(withDisplayId)).toBe(false);
  });
});
