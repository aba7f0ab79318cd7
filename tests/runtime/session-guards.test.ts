// What the kernel does about hostile or careless cells (issue 15), driven as the worker drives it (CPU backend):
// errors that name their line (cases 1, 3, 26, 27), timers and awaits that Interrupt stops (case 5), tensors a cell
// leaves behind (case 8), and no false alarm from the lessons' own cells.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { loadLibraries } from '../../src/runtime/builtins';
import { captureConsole, testSession } from './test-session';
import type { ErrorOutput } from '../../src/protocol';

captureConsole();

function makeKernel(libraries: Parameters<typeof loadLibraries>[0] = {}) {
  const { session, sent, nextMessage } = testSession(libraries, ['cpu']);
  void session.start();
  let n = 0;
  const k = {
    execute(code: string): string {
      const msg_id = `req-${++n}`;
      session.receive({ msg_type: 'execute_request', msg_id, content: { code, cell_label: `Cell ${n}` } });
      return msg_id;
    },
    interrupt(): void {
      session.receive({ msg_type: 'interrupt_request', msg_id: `int-${++n}`, content: {} });
    },
    async reply(id: string): Promise<{ status: string }> {
      for (;;) {
        const found = sent.find((m) => m.msg_type === 'execute_reply' && m.parent_id === id);
        if (found) return found.content as { status: string };
        await nextMessage();
      }
    },
    /** Runs one cell to its reply. */
    async run(code: string) {
      const id = k.execute(code);
      const reply = await k.reply(id);
      return { id, reply, error: k.error(id), stderr: k.stderr(id), result: k.result(id) };
    },
    error: (id: string) => sent.find((m): m is ErrorOutput => m.msg_type === 'error' && m.parent_id === id)?.content,
    stderr: (id: string) =>
      sent
        .filter((m) => m.msg_type === 'stream' && m.parent_id === id && m.content.name === 'stderr')
        .map((m) => (m.content as { text: string }).text)
        .filter((t) => !/TensorFlow\.js in Node\.js|^=+\s*$/.test(t))
        .join(''),
    result: (id: string) => (sent.find((m) => m.msg_type === 'execute_result' && m.parent_id === id)?.content as { data: Record<string, unknown> } | undefined)?.data['text/plain'],
  };
  return k;
}

describe('errors name the cell line and leave the kernel usable', () => {
  it('a tfjs shape mismatch, deep recursion and a missing dynamic import', async () => {
    const k = makeKernel();
    const shape = await k.run('const a = tf.ones([2, 3]);\nconst b = tf.ones([2, 3]);\ntf.matMul(a, b)');
    expect(shape.error?.evalue).toMatch(/inner shapes \(3\) and \(2\)/);
    expect(shape.error?.line).toBe(3);
    const deep = await k.run('function down(n: number): number {\n  return down(n + 1) + 1;\n}\ndown(0)');
    expect(deep.error).toMatchObject({ ename: 'RangeError', evalue: 'Maximum call stack size exceeded', line: 2 });
    const missing = await k.run("const x = 1;\nconst m = await import('no-such-module');");
    expect(missing.error).toMatchObject({ ename: 'ImportError', line: 2 });
    expect(missing.error?.evalue).toMatch(/Cannot import "no-such-module".*can import '@tensorflow\/tfjs'/);
    const tfModule = await k.run("const mod = await import('@tensorflow/tfjs');\nmod.version === tf.version && mod.default === tf");
    expect(tfModule.result).toBe('true');
    expect((await k.run('a.shape[1] + b.shape[1]')).result).toBe('6');
  });
});

describe('Interrupt stops what cells left running', () => {
  it('clears a setInterval and a setTimeout chain that earlier cells started, telling each cell', async () => {
    const k = makeKernel();
    const started = await k.run('let ticks = 0;\nsetInterval(() => ticks++, 5);\n"started"');
    expect(started.stderr).toMatch(/This cell left 1 setInterval running/);
    const chain = await k.run('let links = 0;\nfunction link() { links++; setTimeout(link, 5); }\nlink();');
    expect(chain.stderr).toBe('');
    expect((await k.run('await sleep(60);\nticks > 2 && links > 2')).result).toBe('true');
    k.interrupt();
    await new Promise((r) => setTimeout(r, 0));
    expect(k.stderr(started.id)).toMatch(/Interrupt cleared 1 setInterval that this cell started/);
    expect(k.stderr(chain.id)).toMatch(/Interrupt cleared 1 pending setTimeout that this cell started/);
    const still = await k.run('const seen = [ticks, links];\nawait sleep(60);\nticks === seen[0] && links === seen[1]');
    expect(still.result).toBe('true');
  });

  it('a cell awaiting a cleared timer ends Interrupted instead of waiting forever; the next cell runs', async () => {
    const k = makeKernel();
    const id = k.execute('await new Promise((resolve) => setTimeout(resolve, 60_000));\n"never"');
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    k.interrupt();
    const reply = await k.reply(id);
    expect(reply.status).toBe('error');
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(k.error(id)).toMatchObject({ ename: 'Interrupted', line: 1 });
    expect((await k.run('1 + 1')).result).toBe('2');
  });

  it('awaiting loops stop: await 0, sleep(0) and an async function that awaits in a loop', async () => {
    const k = makeKernel();
    for (const loop of ['for (;;) await 0;', 'while (true) await sleep(0);', 'async function spin() { for (;;) await null; }\nawait spin();']) {
      const id = k.execute(loop);
      await new Promise((r) => setTimeout(r, 100));
      k.interrupt();
      expect((await k.reply(id)).status).toBe('error');
      expect(k.error(id)?.ename).toBe('Interrupted');
    }
  });
});

describe('tensors a cell leaves alive', () => {
  it('are reported under the cell; bound ones are not', async () => {
    const k = makeKernel();
    const leaky = await k.run('for (let i = 0; i < 150; i++) tf.ones([64, 64]).mul(2);');
    expect(leaky.stderr).toMatch(/^Cell 1 left 300 new tensors \(4\.7 MB\) alive that no notebook name holds/);
    const bound = await k.run('const kept = Array.from({ length: 150 }, () => tf.ones([64, 64]));');
    expect(bound.stderr).toBe('');
  });

  it("the lessons' own cells raise no false alarm (ResNet and DenseNet blocks, models and summaries)", async () => {
    const k = makeKernel({ nn: () => import('../../src/nn/index') });
    for (const lesson of ['resnet', 'densenet']) {
      const nb = JSON.parse(readFileSync(new URL(`../../src/lessons/${lesson}.ipynb`, import.meta.url), 'utf8')) as { cells: Array<{ cell_type: string; source: string[] | string }> };
      const code = nb.cells.filter((c) => c.cell_type === 'code').map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
      for (const source of code.slice(0, 5)) {
        const cell = await k.run(source);
        expect(cell.reply.status, `${lesson}: ${source.slice(0, 80)}\n${JSON.stringify(cell.error)}`).toBe('ok');
        expect(cell.stderr, `${lesson}: ${source.slice(0, 80)}`).not.toMatch(/left .* alive/);
      }
    }
  }, 120_000);
});
