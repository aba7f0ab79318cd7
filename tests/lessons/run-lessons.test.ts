// The shipped lessons, run top to bottom through the real kernel (compiler, scope, session, libraries) on the CPU
// backend, with their key outputs asserted. The browser run on WebGPU is e2e/lessons.spec.ts; this one is fast
// and names the cell that broke. The Fashion-MNIST lesson needs the data files, so it runs only in e2e; the lessons
// that train run here up to their training section (the first cell that loads the data).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { KernelSession } from '../../src/runtime/session';
import { initBackend } from '../../src/runtime/backend';
import { loadLibraries } from '../../src/runtime/builtins';
import { installConsoleCapture } from '../../src/runtime/console-capture';
import { parseNotebookText } from '../../src/notebook/validate';
import type { KernelToPage } from '../../src/protocol';

interface Cell { id: string; cell_type: string; source: string | string[] }

const sourceOf = (cell: Cell) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source);

/**
 * Runs the code cells of a lesson in order (all of them, or those before the first that loads Fashion-MNIST when
 * `untilData`); returns each cell's outputs as text, keyed by 1-based cell number.
 */
async function runLesson(id: string, { untilData = false } = {}): Promise<Map<number, string>> {
  const text = readFileSync(join(__dirname, '..', '..', 'src', 'lessons', `${id}.ipynb`), 'utf8');
  const parsed = parseNotebookText(text);
  expect(parsed.ok ? 'ok' : parsed.error).toBe('ok');
  let cells = (JSON.parse(text) as { cells: Cell[] }).cells;
  const dataCell = cells.findIndex((c) => c.cell_type === 'code' && sourceOf(c).includes('data.fashionMnist('));
  if (untilData) {
    expect(dataCell, `${id} loads the data somewhere`).toBeGreaterThan(0);
    cells = cells.slice(0, dataCell);
  }
  const sent: KernelToPage[] = [];
  const session = new KernelSession({
    post: (m) => void sent.push(m),
    tf: tf as never,
    initBackend: () => initBackend(tf, { order: ['cpu'] }),
    loadLibraries: () => loadLibraries(),
  });
  await session.start();
  // As in the worker: console.log in a cell is the cell's stdout.
  const uninstall = installConsoleCapture(console, (name, out) => session.stream(name, out));
  try {
    return await runCells(id, cells, session, sent);
  } finally {
    uninstall();
  }
}

async function runCells(id: string, cells: Cell[], session: KernelSession, sent: KernelToPage[]): Promise<Map<number, string>> {
  const outputs = new Map<number, string>();
  for (const [i, cell] of cells.entries()) {
    if (cell.cell_type !== 'code') continue;
    const msg_id = `${id}-${i + 1}`;
    const reply = new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (sent.some((m) => m.msg_type === 'execute_reply' && m.parent_id === msg_id)) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    session.receive({ msg_type: 'execute_request', msg_id, content: { code: sourceOf(cell), cell_label: `Cell ${i + 1}` } });
    await reply;
    const mine = sent.filter((m) => m.parent_id === msg_id);
    const error = mine.find((m) => m.msg_type === 'error');
    expect(error, `${id} cell ${i + 1}: ${JSON.stringify(error?.content)}`).toBeUndefined();
    outputs.set(i + 1, mine.map(render).join('\n'));
  }
  return outputs;
}

function render(m: KernelToPage): string {
  if (m.msg_type === 'stream') return m.content.text;
  if (m.msg_type === 'execute_result' || m.msg_type === 'display_data') return String(m.content.data['text/plain'] ?? '');
  return '';
}

function lastNumber(s: string | undefined): number {
  const all = (s ?? '').match(/-?\d+(\.\d+)?(e-?\d+)?/g);
  if (!all) throw new Error(`no number in: ${s}`);
  return Number(all[all.length - 1]);
}

describe('lessons through the real kernel (CPU backend)', () => {
  it('Welcome: shared scope, await, a conv whose mean is read back', async () => {
    const out = await runLesson('welcome');
    expect(out.get(4)).toContain('Hello from cell 3');
    expect(out.get(4)).toContain('144');
    expect(out.get(8)).toMatch(/features \[ 8, 28, 28, 16 \]/);
    const mean = lastNumber(out.get(8));
    expect(Number.isFinite(mean) && mean !== 0).toBe(true);
  });

  it('ResNet: v2 goes negative, v1 does not; d2l ResNet-18 ends in 10 classes; resnet18 has 11,689,512 parameters', async () => {
    const out = await runLesson('resnet', { untilData: true });
    const v1 = Number(/v1Min[^\d-]*(-?[\d.]+)/.exec(out.get(7) ?? '')?.[1]);
    const v2 = Number(/v2Min[^\d-]*(-?[\d.]+)/.exec(out.get(7) ?? '')?.[1]);
    expect(v1).toBeGreaterThanOrEqual(0);
    expect(v2).toBeLessThan(0);
    expect(out.get(13)).toMatch(/\[\s*2,\s*10\s*\]/);
    expect(out.get(15)).toMatch(/trainable: 11689512\b/);
  }, 120_000);

  it('DenseNet: the concat keeps the input channels unchanged; densenet121 has 7,978,856 parameters', async () => {
    const out = await runLesson('densenet', { untilData: true });
    expect(out.get(5)).toMatch(/\[\s*4,\s*8,\s*8,\s*23\s*\]/);
    expect(lastNumber(out.get(5))).toBe(0);
    expect(out.get(7)).toMatch(/\[\s*4,\s*4,\s*4,\s*10\s*\]/);
    // DenseNet-BC: the two totals, labelled and with thousands separators; no per-layer tables before them.
    expect(out.get(11)).not.toContain('Layer (type)');
    expect(out.get(11)).toMatch(/plain block: +\d{1,3}(,\d{3})+ parameters +\d+ MFLOPs per image\s+BC block: +\d{1,3}(,\d{3})+ parameters/);
    expect(out.get(11)).toMatch(/BC keeps \d+% of the parameters and \d+% of the FLOPs\.\s*$/);
    expect(out.get(13)).toMatch(/trainable: 7978856\b/);
  }, 120_000);
});


/** The 1-based number of the lesson's cell with this id. */
function numberOf(id: string, cellId: string): number {
  const cells = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'src', 'lessons', `${id}.ipynb`), 'utf8')) as { cells: Cell[] }).cells;
  const index = cells.findIndex((c) => c.id === cellId);
  expect(index, `${id} has a cell ${cellId}`).toBeGreaterThanOrEqual(0);
  return index + 1;
}

/** The number printed after `label` in a cell's output. */
function after(out: string | undefined, label: string): number {
  const at = (out ?? '').indexOf(label);
  expect(at, `"${label}" in ${out}`).toBeGreaterThanOrEqual(0);
  return Number(/-?[\d.]+(e-?\d+)?/.exec((out ?? '').slice(at + label.length))?.[0]);
}

describe('course lessons up to their training (CPU backend)', () => {
  it('Pre-activation: a silenced v2 block is the identity, v1 is ReLU; ResNet-34 v1 = torchvision, v2 differs only in BN', async () => {
    const id = 'preactivation';
    const out = await runLesson(id, { untilData: true });
    expect(out.get(numberOf(id, 'pre-blocks'))).toContain('parameters: v1 4672 · v2 4672');
    const identity = out.get(numberOf(id, 'pre-identity'));
    expect(after(identity, 'v2, branch silenced: max |y − x|       =')).toBe(0);
    expect(after(identity, 'max |y − ReLU(x)| =')).toBe(0);
    expect(after(identity, 'v1, branch silenced: max |y − x|       =')).toBeGreaterThan(0);
    const counts = out.get(numberOf(id, 'pre-count'));
    expect(counts).toMatch(/total\s+21,797,672\s+21,796,008/);
    expect(counts).toContain('v1 matches torchvision: true; conv and fc weights equal: true; v2 − v1 = -1664');
  }, 120_000);

  it('ResNeXt: a grouped conv is four convs; the equal-cost templates; resnext50_32x4d has 25,028,904 parameters', async () => {
    const id = 'resnext';
    const out = await runLesson(id, { untilData: true });
    const grouped = out.get(numberOf(id, 'rx-grouped'));
    expect(grouped).toContain('kernel [3,3,2,8] · output [2,8,8,8]');
    expect(after(grouped, 'max |grouped − four separate convolutions| =')).toBeLessThan(1e-5);
    const templates = out.get(numberOf(id, 'rx-tradeoff')) ?? '';
    for (const row of ['1 × 64d', '2 × 40d', '4 × 24d', '8 × 14d', '32 × 4d']) {
      const params = Number(new RegExp(`${row}\\s+\\d+\\s+([\\d,]+)`).exec(templates)?.[1].replace(/,/g, ''));
      // The paper's Table 2: about 70k parameters each.
      expect(params, row).toBeGreaterThan(69_000);
      expect(params, row).toBeLessThan(73_000);
    }
    expect(out.get(numberOf(id, 'rx-template'))).toMatch(/conv2 \(GroupedConv2D\)\s+\[1, 56, 56, 128\].*4,608/);
    expect(out.get(numberOf(id, 'rx-count'))).toContain("torchvision's resnext50_32x4d has 25,028,904 parameters: equal");
  }, 120_000);

  it('SENet: SE by hand = nn.seBlock; SE-ResNet-50 has 28,088,024 parameters, 2,530,992 by the formula', async () => {
    const id = 'senet';
    const out = await runLesson(id, { untilData: true });
    const byHand = out.get(numberOf(id, 'se-by-hand'));
    expect(after(byHand, 'max |nn.seBlock − by hand| =')).toBeLessThan(1e-5);
    expect(byHand).toContain('SE parameters: 580');
    expect(out.get(numberOf(id, 'se-module'))).toContain('SE adds 8,464 parameters');
    const counts = out.get(numberOf(id, 'se-count'));
    expect(counts).toContain("SE-ResNet-50: 28,088,024 parameters (timm's seresnet50: 28,088,024: equal)");
    expect(counts).toContain("SE's parameters by the formula: 2,530,992; counted: 2,530,992");
    expect(out.get(numberOf(id, 'se-flops'))).toMatch(/\(16 SE blocks in SE-ResNet-50\)/);
  }, 120_000);

  it('FractalNet: the drawn rule matches nn.fractalJoins, a join is the mean of its columns, half the batches are global', async () => {
    const id = 'fractalnet';
    const out = await runLesson(id, { untilData: true });
    const drawing = out.get(numberOf(id, 'fr-draw'));
    for (const columns of [1, 2, 3, 4]) expect(drawing).toContain(`as nn.fractalJoins(${columns}): true`);
    expect(drawing).toContain('C = 4: 15 units, deepest column 8; 4 join(s)');
    const join = out.get(numberOf(id, 'fr-join'));
    expect(join).toContain('parameters 1776');
    expect(after(join, 'max |block − (column 0 + column 1) / 2| =')).toBeLessThan(1e-6);
    const share = after(out.get(numberOf(id, 'fr-droppath')), '10,000 batches:');
    expect(share).toBeGreaterThan(45);
    expect(share).toBeLessThan(55);
  }, 120_000);
});
