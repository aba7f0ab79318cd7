// DenseNet (Huang et al.): each layer sees the channel-concatenation of every earlier feature map
// in its block. The concatenation goes through concatChannels (flow.concat); on real tensors the whole
// block can instead go through the dense-block hook (ops/dense-block), which the kernel layer points at
// its preallocated-buffer path with recomputation in backward.
import * as tf from '@tensorflow/tfjs';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import { CompositeLayer, type LayerArgs } from '../core/composite';
import { batchNorm, conv } from '../core/layers';
import type { Flow, Shape } from '../core/flow';
import { denseBlockImpl, functionalBnReluConv, type DenseLayerFn } from '../ops/dense-block';

export interface DenseLayerArgs extends NonNullable<LayerArgs> {
  /** k: channels this layer adds. */
  growthRate: number;
  /** DenseNet-BC: BN → ReLU → 1×1 conv to bnSize·k first. */
  bottleneck?: boolean;
  /** torchvision's bn_size: the bottleneck is bnSize·k wide. Default 4. */
  bnSize?: number;
  /** d2l keeps PyTorch's default conv bias; torchvision has none (BN follows). */
  useBias?: boolean;
}

/** d2l's conv_block (BN → ReLU → 3×3 conv to k) or torchvision's _DenseLayer (the BC bottleneck variant). */
export class DenseLayer extends CompositeLayer {
  static className = 'DenseLayer';
  readonly growthRate: number;
  readonly bottleneck: boolean;
  readonly bnSize: number;
  readonly useBias: boolean;
  private steps: Array<[tf.layers.Layer, tf.layers.Layer]> = [];

  constructor(args: DenseLayerArgs) {
    super(args);
    this.growthRate = args.growthRate;
    this.bottleneck = args.bottleneck ?? false;
    this.bnSize = args.bnSize ?? 4;
    this.useBias = args.useBias ?? false;
  }

  protected createSublayers(): void {
    const useBias = this.useBias;
    if (this.bottleneck) {
      this.steps.push([this.own(batchNorm('norm1')), this.own(conv('conv1', this.bnSize * this.growthRate, 1, { useBias }))]);
      this.steps.push([this.own(batchNorm('norm2')), this.own(conv('conv2', this.growthRate, 3, { useBias }))]);
    } else {
      this.steps.push([this.own(batchNorm('norm')), this.own(conv('conv', this.growthRate, 3, { useBias }))]);
    }
  }

  forward<T>(flow: Flow<T>, x: T): T {
    let y = x;
    for (const [norm, cv] of this.steps) y = flow.layer(cv, flow.relu(flow.layer(norm, y)));
    return y;
  }

  /**
   * This layer as a pure function of (input, params) for the dense-block hook: the same BN → ReLU → conv
   * steps as forward(), reading weights from the params it is handed instead of the variables.
   */
  functional(training: boolean): DenseLayerFn {
    if (!this.built) throw new Error(`${this.name}: build the layer before taking its functional form`);
    const steps = this.steps.map(([norm, cv]) => functionalBnReluConv(norm, cv, training));
    const counts = steps.map((s) => s.params.length);
    return {
      outChannels: this.growthRate,
      params: steps.flatMap((s) => s.params),
      apply: (input, params, recompute) => {
        let y = input;
        let at = 0;
        steps.forEach((s, i) => {
          y = s.apply(y, params.slice(at, at + counts[i]), recompute);
          at += counts[i];
        });
        return y;
      },
    };
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), growthRate: this.growthRate, bottleneck: this.bottleneck, bnSize: this.bnSize, useBias: this.useBias };
  }
}
tf.serialization.registerClass(DenseLayer);

export interface DenseBlockArgs extends Omit<DenseLayerArgs, 'name'> {
  name?: string;
  /** Number of dense layers (conv blocks). */
  numLayers: number;
}

/** A dense block: C_in → C_in + numLayers·k channels, spatial size unchanged. */
export class DenseBlock extends CompositeLayer {
  static className = 'DenseBlock';
  readonly numLayers: number;
  readonly growthRate: number;
  readonly bottleneck: boolean;
  readonly bnSize: number;
  readonly useBias: boolean;

  constructor(args: DenseBlockArgs) {
    super(args);
    this.numLayers = args.numLayers;
    this.growthRate = args.growthRate;
    this.bottleneck = args.bottleneck ?? false;
    this.bnSize = args.bnSize ?? 4;
    this.useBias = args.useBias ?? false;
  }

  protected createSublayers(): void {
    for (let i = 1; i <= this.numLayers; i++) {
      this.own(new DenseLayer({ name: `denselayer${i}`, growthRate: this.growthRate, bottleneck: this.bottleneck, bnSize: this.bnSize, useBias: this.useBias }));
    }
  }

  /** With a dense-block hook set (the kernel layer on WebGPU), the block runs through it; otherwise forward(). */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const impl = denseBlockImpl();
    if (impl) {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const training = kwargs?.['training'] === true;
      const y = impl(x, this.sublayers.map((l) => (l as DenseLayer).functional(training)));
      if (y) return y;
    }
    return super.call(inputs, kwargs);
  }

  forward<T>(flow: Flow<T>, x: T): T {
    const features = [x];
    for (const layer of this.sublayers) {
      const input = features.length === 1 ? features[0] : flow.concat(features);
      features.push(flow.layer(layer, input));
    }
    return flow.concat(features);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      numLayers: this.numLayers,
      growthRate: this.growthRate,
      bottleneck: this.bottleneck,
      bnSize: this.bnSize,
      useBias: this.useBias,
    };
  }
}
tf.serialization.registerClass(DenseBlock);

export interface TransitionArgs extends NonNullable<LayerArgs> {
  /** Output channels (DenseNet halves them: compression 0.5). */
  filters: number;
  useBias?: boolean;
}

/** Transition: BN → ReLU → 1×1 conv → 2×2 average pool (stride 2), between dense blocks. */
export class Transition extends CompositeLayer {
  static className = 'Transition';
  readonly filters: number;
  readonly useBias: boolean;
  private norm!: tf.layers.Layer;
  private conv!: tf.layers.Layer;
  private pool!: tf.layers.Layer;

  constructor(args: TransitionArgs) {
    super(args);
    this.filters = args.filters;
    this.useBias = args.useBias ?? false;
  }

  protected createSublayers(_inputShape: Shape): void {
    this.norm = this.own(batchNorm('norm'));
    this.conv = this.own(conv('conv', this.filters, 1, { useBias: this.useBias }));
    this.pool = this.own(tf.layers.averagePooling2d({ name: 'pool', poolSize: 2, strides: 2, padding: 'valid' }));
  }

  forward<T>(flow: Flow<T>, x: T): T {
    return flow.layer(this.pool, flow.layer(this.conv, flow.relu(flow.layer(this.norm, x))));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), filters: this.filters, useBias: this.useBias };
  }
}
tf.serialization.registerClass(Transition);
