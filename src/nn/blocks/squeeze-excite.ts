// Squeeze-and-Excitation (Hu et al.): squeeze = global average pool, excitation = dense C→C/r →
// ReLU → dense C/r→C → sigmoid, output = input × weights per channel. The dense layers have biases,
// as in timm's SEModule (its 1×1 convs on a 1×1 map are the same dense layers).
import * as tf from '@tensorflow/tfjs';
import { CompositeLayer, type LayerArgs } from '../core/composite';
import { dense } from '../core/layers';
import type { Flow, Shape } from '../core/flow';

export interface SqueezeExciteArgs extends NonNullable<LayerArgs> {
  /** r: the bottleneck is C/r wide. Default 16. */
  reduction?: number;
}

/**
 * Reduced width floor(C/r), as in the original SENet. timm rounds up to a multiple of 8
 * (make_divisible); the two agree for every width in seresnet50 / seresnext50_32x4d (C ≥ 256).
 */
export function seReducedChannels(channels: number, reduction: number): number {
  return Math.max(1, Math.floor(channels / reduction));
}

export class SqueezeExcite extends CompositeLayer {
  static className = 'SqueezeExcite';
  readonly reduction: number;
  private fc1!: tf.layers.Layer;
  private fc2!: tf.layers.Layer;

  constructor(args: SqueezeExciteArgs = {}) {
    super(args);
    this.reduction = args.reduction ?? 16;
  }

  protected createSublayers(inputShape: Shape): void {
    const channels = inputShape[3] as number;
    this.fc1 = this.own(dense('fc1', seReducedChannels(channels, this.reduction)));
    this.fc2 = this.own(dense('fc2', channels));
  }

  forward<T>(flow: Flow<T>, x: T): T {
    let w = flow.globalAvgPool(x);
    w = flow.relu(flow.layer(this.fc1, w));
    w = flow.sigmoid(flow.layer(this.fc2, w));
    return flow.scaleChannels(x, w);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), reduction: this.reduction };
  }
}
tf.serialization.registerClass(SqueezeExcite);
