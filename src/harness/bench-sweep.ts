// The benchmark's shape sweep (issue 13): a kernel tuned on one shape says little about the shapes real models use,
// so this takes every distinct convolution of the lessons' models as nn.summary traces them (the 28-px DenseNet and
// ResNet-18 the benchmark trains, src/harness/models.ts, and the Fashion-MNIST lesson's CNN), and times each forward, input gradient and filter gradient
// with our kernels and with stock, in one page. The adapter's FMA ceiling comes from a pure-register WGSL loop
// in the same run, so each kernel can be read as a fraction of what this GPU can do at all.
import * as tf from '@tensorflow/tfjs';
import * as kernels from '../gpu';
import { layerAtPath, summary } from '../nn';
import { d2lDenseNet, d2lResNet18 } from './models';
import { mulberry32, randomArray } from './rng';

/** One convolution problem, NHWC without the batch: the input's H×W×Cin, Cout, the kernel size, stride and padding. */
export interface ConvShape {
  key: string;
  h: number; w: number; cin: number; cout: number; k: number; stride: number; padding: 'same' | 'valid';
  /** Which models use it, and how many times. */
  usedBy: Record<string, number>;
}

/** The Fashion-MNIST lesson's CNN (src/lessons/fashion-mnist.ipynb), layer for layer. */
function lessonCnn(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10 }),
    ],
  });
}

const first = (v: unknown): number => (Array.isArray(v) ? Number(v[0]) : Number(v));

/** Every distinct Conv2D of the lesson models, with the models that use it (weights built, then disposed). */
export function lessonConvShapes(): ConvShape[] {
  const models: Record<string, tf.LayersModel> = {
    // d2l's own builders stem to 7×7 for 96-px inputs and shrink a 28-px image to nothing; these keep 28 px.
    'DenseNet (28 px)': d2lDenseNet(),
    'ResNet-18 (28 px)': d2lResNet18(),
    'Fashion-MNIST CNN': lessonCnn(),
  };
  const shapes = new Map<string, ConvShape>();
  for (const [name, model] of Object.entries(models)) {
    for (const row of summary(model).rows) {
      if (row.className !== 'Conv2D') continue;
      const config = layerAtPath(model, row.path).getConfig();
      const [, h, w, cin] = row.inputShape as number[];
      const shape = {
        h, w, cin, cout: Number(config.filters), k: first(config.kernelSize), stride: first(config.strides),
        padding: config.padding === 'valid' ? 'valid' as const : 'same' as const,
      };
      const key = `${h}×${w}×${shape.cin}→${shape.cout} k${shape.k}/${shape.stride} ${shape.padding}`;
      const entry = shapes.get(key) ?? { key, ...shape, usedBy: {} };
      entry.usedBy[name] = (entry.usedBy[name] ?? 0) + 1;
      shapes.set(key, entry);
    }
    model.dispose();
  }
  return [...shapes.values()];
}

export type ConvDirection = 'forward' | 'inputGradient' | 'filterGradient';

function rnd(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(randomArray(mulberry32(seed), shape.reduce((a, b) => a * b, 1)), shape);
}

/** Output H, W of the convolution, as tfjs computes them for this padding. */
function outSize(s: ConvShape): [number, number] {
  if (s.padding === 'same') return [Math.ceil(s.h / s.stride), Math.ceil(s.w / s.stride)];
  return [Math.floor((s.h - s.k) / s.stride) + 1, Math.floor((s.w - s.k) / s.stride) + 1];
}

/** 2 · multiply-adds of the convolution at this batch (the same for all three directions). */
export function convFlops(s: ConvShape, batch: number): number {
  const [oh, ow] = outSize(s);
  return 2 * batch * oh * ow * s.k * s.k * s.cin * s.cout;
}

/**
 * Median wall time of one call (after a warm-up call that compiles the pipelines): calls are queued back to back
 * and the clock stops when the last result can be read, so per-call read-back latency is not counted.
 */
async function medianMs(run: () => tf.Tensor, calls: number, rounds: number): Promise<number> {
  const warm = run();
  await warm.data();
  warm.dispose();
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    let last: tf.Tensor | null = null;
    for (let i = 0; i < calls; i++) {
      last?.dispose();
      last = run();
    }
    await last!.data();
    last!.dispose();
    times.push((performance.now() - t0) / calls);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

/** Times one direction of one shape in one mode; inputs are made and freed here. */
export async function timeConv(s: ConvShape, direction: ConvDirection, mode: kernels.KernelMode, batch: number, calls = 3, rounds = 3): Promise<number> {
  await tf.setBackend('webgpu');
  kernels.use(mode);
  const [oh, ow] = outSize(s);
  const x = rnd([batch, s.h, s.w, s.cin], 1) as tf.Tensor4D;
  const f = rnd([s.k, s.k, s.cin, s.cout], 2) as tf.Tensor4D;
  const dy = rnd([batch, oh, ow, s.cout], 3) as tf.Tensor4D;
  const runs: Record<ConvDirection, () => tf.Tensor> = {
    forward: () => tf.conv2d(x, f, s.stride, s.padding),
    inputGradient: () => tf.conv2dTranspose(dy, f, [batch, s.h, s.w, s.cin], s.stride, s.padding),
    filterGradient: () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
      strides: s.stride, pad: s.padding, dataFormat: 'NHWC', filterShape: [s.k, s.k, s.cin, s.cout],
    }) as tf.Tensor,
  };
  try {
    return await medianMs(runs[direction], calls, rounds);
  } finally {
    tf.dispose([x, f, dy]);
    kernels.use('convlab');
  }
}

/**
 * This adapter's fused multiply-add ceiling in GFLOP/s: every thread runs a long chain of FMAs on eight independent
 * registers (no memory traffic but one store, so nothing else can limit it), over enough workgroups to fill the GPU.
 */
export async function fmaCeiling(rounds = 3): Promise<number> {
  await tf.setBackend('webgpu');
  const device = (tf.backend() as unknown as { device: GPUDevice }).device;
  const iterations = 4096;
  const workgroups = 1024;
  const threads = 64 * workgroups;
  const module = device.createShaderModule({
    code: `
@group(0) @binding(0) var<storage, read_write> sink: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let seed = f32(id.x) * 1e-9;
  var a = vec4<f32>(seed, seed + 1.0, seed + 2.0, seed + 3.0);
  var b = vec4<f32>(seed + 4.0, seed + 5.0, seed + 6.0, seed + 7.0);
  let m = vec4<f32>(0.9999);
  let c = vec4<f32>(1e-4);
  for (var i = 0u; i < ${iterations}u; i++) {
    a = fma(a, m, c);
    b = fma(b, m, c);
  }
  sink[id.x] = dot(a, b);
}`,
  });
  const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const sink = device.createBuffer({ size: threads * 4, usage: GPUBufferUsage.STORAGE });
  const bind = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: sink } }] });
  const once = async (): Promise<number> => {
    const t0 = performance.now();
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bind);
    pass.dispatchWorkgroups(workgroups);
    pass.end();
    device.queue.submit([encoder.finish()]);
    await device.queue.onSubmittedWorkDone();
    return performance.now() - t0;
  };
  await once();
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) times.push(await once());
  sink.destroy();
  times.sort((a, b) => a - b);
  // 8 lanes × 2 FLOPs per FMA per iteration per thread.
  return (threads * iterations * 8 * 2) / (times[times.length >> 1] * 1e6);
}

export const sweepApi = { lessonConvShapes, timeConv, fmaCeiling, convFlops };
