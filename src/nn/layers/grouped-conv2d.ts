// A grouped 2-D convolution layer (ResNeXt's 3×3), computed by groupedConv2d so that the kernel
// layer can swap the math without touching the layer. Kernel [kh, kw, Cin/groups, Cout].
import * as tf from '@tensorflow/tfjs';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import { groupedConv2d } from '../ops/grouped-conv2d';
import { singleShape, type LayerArgs } from '../core/composite';

export interface GroupedConv2DArgs extends NonNullable<LayerArgs> {
  filters: number;
  kernelSize: number;
  groups: number;
  strides?: number;
  padding?: 'same' | 'valid';
  useBias?: boolean;
}

export class GroupedConv2D extends tf.layers.Layer {
  static className = 'GroupedConv2D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly groups: number;
  readonly strides: number;
  readonly padding: 'same' | 'valid';
  readonly useBias: boolean;
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  constructor(args: GroupedConv2DArgs) {
    super(args);
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.groups = args.groups;
    this.strides = args.strides ?? 1;
    this.padding = args.padding ?? 'same';
    this.useBias = args.useBias ?? false;
    if (this.filters % this.groups !== 0) throw new Error(`${this.name}: ${this.filters} filters do not divide into ${this.groups} groups`);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const cin = singleShape(inputShape)[3];
    if (cin == null || cin % this.groups !== 0) throw new Error(`${this.name}: ${cin} input channels do not divide into ${this.groups} groups`);
    const k = this.kernelSize;
    // He init over the fan-in one output actually sees: k·k·Cin/groups.
    this.kernel = this.addWeight('kernel', [k, k, cin / this.groups, this.filters], 'float32', tf.initializers.heNormal({}));
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [n, h, w] = singleShape(inputShape);
    const out = (d: number | null) => {
      if (d == null) return null;
      return this.padding === 'same' ? Math.ceil(d / this.strides) : Math.floor((d - this.kernelSize) / this.strides) + 1;
    };
    return [n, out(h), out(w), this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.tidy(() => {
      const y = groupedConv2d(x, this.kernel!.read() as tf.Tensor4D, { strides: this.strides, padding: this.padding, groups: this.groups });
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      groups: this.groups,
      strides: this.strides,
      padding: this.padding,
      useBias: this.useBias,
    };
  }
}
tf.serialization.registerClass(GroupedConv2D);
