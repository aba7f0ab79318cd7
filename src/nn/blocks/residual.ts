// Residual blocks (He et al. 2015, 2016): BasicBlock (two 3×3) and Bottleneck (1×1 → 3×3 → 1×1,
// ResNet v1.5: the stride sits on the 3×3, as in torchvision), post-activation (v1) or
// pre-activation (v2), optional grouped 3×3 (ResNeXt) and SE on the residual branch before the add.
// `skip: false` drops the shortcut: the "plain" network of the same depth He et al. (2015) compared against.
import * as tf from '@tensorflow/tfjs';
import { CompositeLayer, type LayerArgs } from '../core/composite';
import { batchNorm, conv, torchPadding } from '../core/layers';
import type { Flow, Shape } from '../core/flow';
import { GroupedConv2D } from '../layers/grouped-conv2d';
import { SqueezeExcite } from './squeeze-excite';

export interface ResidualBlockArgs extends NonNullable<LayerArgs> {
  /** torchvision's `planes`: width of the 3×3; the block outputs filters × expansion channels. */
  filters: number;
  strides?: number;
  /** false: BasicBlock (expansion 1); true: Bottleneck (expansion 4). */
  bottleneck?: boolean;
  /** false: v1, conv → BN → ReLU, ReLU after the add. true: v2, BN → ReLU → conv, nothing after the add. */
  preact?: boolean;
  /** Bottleneck only: cardinality of the 3×3 (ResNeXt). */
  groups?: number;
  /** Bottleneck only: width = floor(filters · baseWidth / 64) · groups. */
  baseWidth?: number;
  /** SE reduction r; 0 = no SE. */
  seReduction?: number;
  /** Biases on every conv (d2l keeps PyTorch's default; torchvision drops them before BN). */
  useBias?: boolean;
  /**
   * BN after the projection conv. Default: true for v1 (torchvision's downsample = conv1×1 + BN),
   * false for v2, where the projection reads the already normalised, activated input (He et al. 2016).
   * d2l's Residual uses a plain 1×1 conv.
   */
  shortcutNorm?: boolean;
  /**
   * false: no shortcut at all (no add, no projection), the same convolutions stacked plainly: He et al.'s (2015)
   * "plain" baseline, whose training error rises with depth (degradation). Default true.
   */
  skip?: boolean;
}

export class ResidualBlock extends CompositeLayer {
  static className = 'ResidualBlock';
  readonly filters: number;
  readonly strides: number;
  readonly bottleneck: boolean;
  readonly preact: boolean;
  readonly groups: number;
  readonly baseWidth: number;
  readonly seReduction: number;
  readonly useBias: boolean;
  readonly shortcutNorm: boolean;
  readonly skip: boolean;
  private convs: tf.layers.Layer[] = [];
  /** Explicit symmetric padding before each conv that needs it (the strided 3×3), else null. */
  private pads: Array<tf.layers.Layer | null> = [];
  private norms: tf.layers.Layer[] = [];
  private se: tf.layers.Layer | null = null;
  private projection: tf.layers.Layer | null = null;
  private projectionNorm: tf.layers.Layer | null = null;

  constructor(args: ResidualBlockArgs) {
    super(args);
    this.filters = args.filters;
    this.strides = args.strides ?? 1;
    this.bottleneck = args.bottleneck ?? false;
    this.preact = args.preact ?? false;
    this.groups = args.groups ?? 1;
    this.baseWidth = args.baseWidth ?? 64;
    this.seReduction = args.seReduction ?? 0;
    this.useBias = args.useBias ?? false;
    this.shortcutNorm = args.shortcutNorm ?? !this.preact;
    this.skip = args.skip ?? true;
    if (!this.bottleneck && (this.groups !== 1 || this.baseWidth !== 64)) {
      throw new Error('BasicBlock supports only groups = 1 and baseWidth = 64 (as torchvision)');
    }
  }

  get expansion(): number {
    return this.bottleneck ? 4 : 1;
  }

  get outChannels(): number {
    return this.filters * this.expansion;
  }

  /** Width of the 3×3 convolution(s). */
  get width(): number {
    return this.bottleneck ? Math.floor((this.filters * this.baseWidth) / 64) * this.groups : this.filters;
  }

  protected createSublayers(inputShape: Shape): void {
    const bias = { useBias: this.useBias };
    const specs: Array<{ k: number; filters: number; strides: number; groups: number }> = this.bottleneck
      ? [
          { k: 1, filters: this.width, strides: 1, groups: 1 },
          { k: 3, filters: this.width, strides: this.strides, groups: this.groups },
          { k: 1, filters: this.outChannels, strides: 1, groups: 1 },
        ]
      : [
          { k: 3, filters: this.filters, strides: this.strides, groups: 1 },
          { k: 3, filters: this.filters, strides: 1, groups: 1 },
        ];
    // Sublayer order follows the data flow so summaries read top to bottom. A strided 3×3 gets
    // PyTorch's symmetric padding=1 as a ZeroPadding2D before a 'valid' conv (see torchPadding).
    specs.forEach((s, i) => {
      const n = i + 1;
      const makeConvs = () => {
        const pad = torchPadding(`conv${n}`, s.k, s.strides);
        const padding = pad ? 'valid' : 'same';
        const cv =
          s.groups > 1
            ? new GroupedConv2D({ name: `conv${n}`, filters: s.filters, kernelSize: s.k, strides: s.strides, groups: s.groups, padding, useBias: this.useBias })
            : conv(`conv${n}`, s.filters, s.k, { strides: s.strides, padding, ...bias });
        this.pads.push(pad ? this.own(pad) : null);
        this.convs.push(this.own(cv));
      };
      if (this.preact) {
        this.norms.push(this.own(batchNorm(`bn${n}`)));
        makeConvs();
      } else {
        makeConvs();
        this.norms.push(this.own(batchNorm(`bn${n}`)));
      }
    });
    if (this.seReduction > 0) this.se = this.own(new SqueezeExcite({ name: 'se', reduction: this.seReduction }));
    if (this.skip && (this.strides !== 1 || inputShape[3] !== this.outChannels)) {
      this.projection = this.own(conv('downsample.conv', this.outChannels, 1, { strides: this.strides, ...bias }));
      if (this.shortcutNorm) this.projectionNorm = this.own(batchNorm('downsample.bn'));
    }
  }

  forward<T>(flow: Flow<T>, x: T): T {
    const shortcut = (input: T): T => {
      if (!this.projection) return x;
      const s = flow.layer(this.projection, input);
      return this.projectionNorm ? flow.layer(this.projectionNorm, s) : s;
    };
    const convAt = (i: number, input: T): T => {
      const pad = this.pads[i];
      return flow.layer(this.convs[i], pad ? flow.layer(pad, input) : input);
    };
    if (this.preact) {
      const pre = flow.relu(flow.layer(this.norms[0], x));
      let y = convAt(0, pre);
      for (let i = 1; i < this.convs.length; i++) y = convAt(i, flow.relu(flow.layer(this.norms[i], y)));
      if (this.se) y = flow.layer(this.se, y);
      return this.skip ? flow.add(y, shortcut(pre)) : y;
    }
    let y = x;
    const last = this.convs.length - 1;
    for (let i = 0; i <= last; i++) {
      y = flow.layer(this.norms[i], convAt(i, y));
      if (i < last) y = flow.relu(y);
    }
    if (this.se) y = flow.layer(this.se, y);
    return flow.relu(this.skip ? flow.add(y, shortcut(x)) : y);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      strides: this.strides,
      bottleneck: this.bottleneck,
      preact: this.preact,
      groups: this.groups,
      baseWidth: this.baseWidth,
      seReduction: this.seReduction,
      useBias: this.useBias,
      shortcutNorm: this.shortcutNorm,
      skip: this.skip,
    };
  }
}
tf.serialization.registerClass(ResidualBlock);

type BlockOptions = Omit<ResidualBlockArgs, 'bottleneck'>;

/** torchvision's BasicBlock (two 3×3 convs). */
export function basicBlock(args: BlockOptions): ResidualBlock {
  return new ResidualBlock({ ...args, bottleneck: false });
}

/** torchvision's Bottleneck (1×1 → 3×3 with the stride → 1×1, ×4 channels). */
export function bottleneckBlock(args: BlockOptions): ResidualBlock {
  return new ResidualBlock({ ...args, bottleneck: true });
}
