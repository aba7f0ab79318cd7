// Routes tf.train.adam's update onto the fused passes (kernels/adam.ts) while our kernels are on: per variable three
// dispatches instead of tfjs-core's fourteen. In a training step of a small lesson model Adam was two thirds of
// all dispatches (932 kernels, ~600 of them Adam's element-wise ops), and on an adapter where each dispatch has a
// fixed cost that, not the convolutions, set the step time.
//
// Why a patch of AdamOptimizer.prototype.applyGradients, as batch-norm-layer.ts patches BatchNormalization: the
// update is fourteen separate ops to tfjs, no single kernel to replace. The wrapper keeps the optimizer's own state
// (accumulatedFirstMoment / SecondMoment variables named as tfjs names them, accBeta1/2, iterations), so
// getWeights, setWeights, serialisation and a later kernels.use('stock') carry on from the same numbers.
import * as tf from '@tensorflow/tfjs';
import type { Backend } from '../kernels/common';
import { storedAsFloat32 } from '../kernels/common';
import { adamMoment, adamValue } from '../kernels/adam';
import { onOurWebGPU } from '../registry';
import { countCall, countFallback } from '../stats';

const COUNTER = 'AdamUpdate';

type Gradients = tf.NamedTensorMap | Array<{ name: string; tensor: tf.Tensor }>;
type Apply = (this: tf.AdamOptimizer, variableGradients: Gradients) => void;

/** The fields of tfjs-core's AdamOptimizer this update reads and writes (protected or private there). */
interface AdamFields {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Array<{ originalName: string; variable: tf.Variable } | undefined>;
  accumulatedSecondMoment: Array<{ originalName: string; variable: tf.Variable } | undefined>;
  incrementIterations(): void;
}

function entries(grads: Gradients): Array<{ name: string; gradient: tf.Tensor | undefined }> {
  return Array.isArray(grads)
    ? grads.map((g) => ({ name: g.name, gradient: g.tensor }))
    : Object.keys(grads).map((name) => ({ name, gradient: grads[name] }));
}

/** Why this update stays on tfjs-core's ops, or null when the fused passes take it. */
function unsupported(opt: AdamFields, list: ReturnType<typeof entries>): string | null {
  const backend = tf.backend() as unknown as Backend;
  const onHere = (t: tf.Tensor) => backend.tensorMap.has(t.dataId) && storedAsFloat32(backend, t);
  if (!onHere(opt.accBeta1) || !onHere(opt.accBeta2)) return 'optimizer state on another backend';
  for (const { name, gradient } of list) {
    const value = tf.engine().registeredVariables[name];
    if (!value) return `no variable named ${name}`;
    if (!gradient) continue;
    if (value.size === 0) return 'empty variable';
    if (!onHere(value) || !onHere(gradient)) return 'data on another backend or not float32';
  }
  return null;
}

/** tfjs-core's AdamOptimizer.applyGradients, step for step, with each variable's update in three passes. */
function fusedApply(opt: AdamFields, list: ReturnType<typeof entries>): void {
  const backend = tf.backend() as unknown as Backend;
  const wrap = (info: tf.TensorInfo) => tf.engine().makeTensorFromTensorInfo(info);
  tf.tidy(() => {
    list.forEach(({ name, gradient }, i) => {
      const value = tf.engine().registeredVariables[name];
      // Created exactly as tfjs creates them (names, trainable false), so getWeights lists the same state.
      opt.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      opt.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      if (!gradient) return;
      const first = opt.accumulatedFirstMoment[i]!.variable;
      const second = opt.accumulatedSecondMoment[i]!.variable;
      const m = wrap(adamMoment(backend, 'first', first, gradient, opt.beta1));
      const v = wrap(adamMoment(backend, 'second', second, gradient, opt.beta2));
      const next = wrap(adamValue(backend, value, m, v, opt.accBeta1, opt.accBeta2, opt.epsilon, opt.learningRate));
      first.assign(m);
      second.assign(v);
      value.assign(next);
    });
    opt.accBeta1.assign(tf.mul(opt.accBeta1, opt.beta1));
    opt.accBeta2.assign(tf.mul(opt.accBeta2, opt.beta2));
  });
  opt.incrementIterations();
  countCall(COUNTER);
}

let original: Apply | null = null;

/** Installs (on) or removes (off) the wrapper around AdamOptimizer.prototype.applyGradients. Idempotent. */
export function connectAdamOptimizer(on: boolean): void {
  const proto = tf.AdamOptimizer.prototype as unknown as { applyGradients: Apply };
  if (on && !original) {
    const stock = proto.applyGradients;
    original = stock;
    proto.applyGradients = function (this: tf.AdamOptimizer, variableGradients: Gradients) {
      if (!onOurWebGPU()) return stock.call(this, variableGradients);
      const fields = this as unknown as AdamFields;
      const list = entries(variableGradients);
      const why = unsupported(fields, list);
      if (why) {
        countFallback(COUNTER, why);
        return stock.call(this, variableGradients);
      }
      fusedApply(fields, list);
    };
  } else if (!on && original) {
    proto.applyGradients = original;
    original = null;
  }
}

/** Whether the wrapper is installed (for tests). */
export function adamOptimizerConnected(): boolean {
  return original !== null;
}
