// The shipped lessons, run top to bottom through the real kernel (compiler, scope, session, libraries) on the CPU
// backend, with their key outputs asserted. The browser run on WebGPU is e2e/lessons.spec.ts; this one is fast
// and names the cell that broke. The Fashion-MNIST lesson needs the data files, so it runs only in e2e.
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

/** Runs every code cell of a lesson in order; returns each cell's outputs as text, keyed by 1-based cell number. */
async function runLesson(id: string): Promise<Map<number, string>> {
  const text = readFileSync(join(__dirname, '..', '..', 'src', 'lessons', `${id}.ipynb`), 'utf8');
  const parsed = parseNotebookText(text);
  expect(parsed.ok ? 'ok' : parsed.error).toBe('ok');
  const cells = (JSON.parse(text) as { cells: Cell[] }).cells;
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
    session.receive({ msg_type: 'execute_request', msg_id, content: { code: Array.isArray(cell.source) ? cell.source.join('') : cell.source, cell_label: `Cell ${i + 1}` } });
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
    const out = await runLesson('resnet');
    const v1 = Number(/v1Min[^\d-]*(-?[\d.]+)/.exec(out.get(7) ?? '')?.[1]);
    const v2 = Number(/v2Min[^\d-]*(-?[\d.]+)/.exec(out.get(7) ?? '')?.[1]);
    expect(v1).toBeGreaterThanOrEqual(0);
    expect(v2).toBeLessThan(0);
    expect(out.get(13)).toMatch(/\[\s*2,\s*10\s*\]/);
    expect(out.get(15)).toMatch(/trainable: 11689512\b/);
  }, 120_000);

  it('DenseNet: the concat keeps the input channels unchanged; densenet121 has 7,978,856 parameters', async () => {
    const out = await runLesson('densenet');
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
