// nn reaches the kernel layer only through its hooks (ops/dense-block, ops/concat-channels, ops/grouped-conv2d),
// which the kernel layer sets: nn itself never imports src/kernels nor the webgpu backend, so its unit tests run
// on the CPU backend in Node and a build without WebGPU still has nn.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(name) ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

describe('nn and the kernel layer', () => {
  it('nn imports neither src/kernels nor @tensorflow/tfjs-backend-webgpu', () => {
    const kernelsDir = join(root, 'src', 'kernels');
    const bad = files(join(root, 'src', 'nn')).flatMap((f) => imports(f)
      .filter((s) => s.startsWith('@tensorflow/tfjs-backend-webgpu') || (s.startsWith('.') && !relative(kernelsDir, resolve(dirname(f), s)).startsWith('..')))
      .map((s) => `${relative(root, f)} imports ${s}`));
    expect(bad).toEqual([]);
  });

  it('the kernel layer imports from nn only its hook modules (nn/ops)', () => {
    const nnDir = join(root, 'src', 'nn');
    const bad = files(join(root, 'src', 'kernels')).flatMap((f) => imports(f)
      .filter((s) => s.startsWith('.'))
      .map((s) => relative(nnDir, resolve(dirname(f), s)))
      .filter((r) => !r.startsWith('..') && !r.startsWith('ops/'))
      .map((r) => `${relative(root, f)} imports nn/${r}`));
    expect(bad).toEqual([]);
  });
});
