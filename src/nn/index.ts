// What notebook cells see as `nn`: model blocks, builders, summaries. Layout is NHWC throughout.
import { ResidualBlock, basicBlock, bottleneckBlock, type ResidualBlockArgs } from './blocks/residual';
import { SqueezeExcite, seReducedChannels, type SqueezeExciteArgs } from './blocks/squeeze-excite';
import { DenseBlock, DenseLayer, Transition } from './blocks/dense';
import { FractalBlock, fractalJoins, type FractalBlockArgs } from './blocks/fractal';
import { FractalBody } from './blocks/fractal-body';
import { DropPathSampler, seededRandom } from './blocks/drop-path';
import { GroupedConv2D, type GroupedConv2DArgs } from './layers/grouped-conv2d';
import { blockDiagonalKernel, groupedConv2d, setGroupedConv2dImpl } from './ops/grouped-conv2d';
import { concatChannels, setConcatChannelsImpl } from './ops/concat-channels';
import { setDenseBlockImpl } from './ops/dense-block';
import * as d2lModels from './models/d2l';

export {
  ResidualBlock, SqueezeExcite, DenseBlock, DenseLayer, Transition, FractalBlock, FractalBody, GroupedConv2D,
  DropPathSampler, seededRandom, fractalJoins, seReducedChannels,
};
export { CompositeLayer } from './core/composite';
export type { Flow, Shape } from './core/flow';
export {
  resnet18, resnet34, resnet50, resnet101, resnet152, resnext50_32x4d, resnext101_32x8d, se_resnet50, se_resnext50_32x4d,
  resnetFromSpec, type ResNetOptions, type ResNetSpec,
} from './models/resnet';
export { densenet121, densenet161, densenet169, densenet201, densenetFromSpec, type DenseNetSpec } from './models/densenet';
export { fractalnet, fractalColumn, lastDropPath, type FractalNetOptions } from './models/fractalnet';
export type { ModelOptions } from './models/options';
export { summary, ModelSummary, type SummaryOptions, type SummaryRow, type SummaryTotals } from './summary/summary';
export { formatNCHW, formatNHWC } from './summary/format';
export { countParams, type ParamCount } from './count-params';
/** PyTorch state_dicts (in tfjs layouts) into nn's layers, by an explicit module-name mapping. */
export { loadTorchWeights, layerAtPath, type TorchStateDict } from './torch-weights';

/** The d2l.ai Fashion-MNIST variants (96×96×1 input, 10 classes). */
export const d2l = { resnet18: d2lModels.resnet18, densenet: d2lModels.densenet };

/** Ops the kernel layer may take over. */
export const ops = { groupedConv2d, blockDiagonalKernel, concatChannels, setGroupedConv2dImpl, setConcatChannelsImpl, setDenseBlockImpl };
export type { DenseBlockImpl, DenseLayerFn } from './ops/dense-block';

/** BasicBlock: two 3×3 convs; v1 by default, { preact: true } for v2. */
export { basicBlock };

/** Bottleneck (v1.5): 1×1 → 3×3 (stride, groups) → 1×1 to 4·filters. */
export function bottleneck(args: Omit<ResidualBlockArgs, 'bottleneck'>): ResidualBlock {
  return bottleneckBlock(args);
}

/** Squeeze-and-Excitation, r = 16 by default. */
export function seBlock(args: SqueezeExciteArgs = {}): SqueezeExcite {
  return new SqueezeExcite(args);
}

export interface D2lBlockOptions {
  name?: string;
  /** DenseNet-BC bottleneck (1×1 to 4k first). Default false, as d2l. */
  bottleneck?: boolean;
  /** Conv biases; default true, as d2l (PyTorch's default). */
  useBias?: boolean;
}

/** d2l's conv_block(num_channels): BN → ReLU → 3×3 conv. */
export function convBlock(channels: number, opts: D2lBlockOptions = {}): DenseLayer {
  return new DenseLayer({ name: opts.name, growthRate: channels, bottleneck: opts.bottleneck, useBias: opts.useBias ?? true });
}

/** d2l's DenseBlock(num_convs, num_channels): C → C + numConvs·channels. */
export function denseBlock(numConvs: number, channels: number, opts: D2lBlockOptions = {}): DenseBlock {
  return new DenseBlock({ name: opts.name, numLayers: numConvs, growthRate: channels, bottleneck: opts.bottleneck, useBias: opts.useBias ?? true });
}

/** d2l's transition_block(num_channels): BN → ReLU → 1×1 conv → 2×2 average pool. */
export function transition(channels: number, opts: Omit<D2lBlockOptions, 'bottleneck'> = {}): Transition {
  return new Transition({ name: opts.name, filters: channels, useBias: opts.useBias ?? true });
}

/** A grouped convolution layer (tfjs has none); kernel [k, k, Cin/groups, filters]. */
export function groupedConv(args: GroupedConv2DArgs): GroupedConv2D {
  return new GroupedConv2D(args);
}

export function fractalBlock(args: FractalBlockArgs): FractalBlock {
  return new FractalBlock(args);
}

/** Inspection views: a layer's feature maps for one image, a conv's kernels, SE blocks' gates (async: they read the GPU). */
export { featureMaps, FeatureMaps, type FeatureMapOptions, type ChannelMap } from './inspect/feature-maps';
export { filters, Filters, type FilterOptions } from './inspect/filters';
export { seGates, SeGates, type GateMap } from './inspect/se-gates';

/** Inspection views of shapes: channels and H×W along depth, and the architecture as a graph (live: re-running the model's cell redraws them). */
export { shapePlot, ShapePlot } from './inspect/shape-plot';
export { shapePoints, type ShapePoint } from './inspect/shape-points';
export { graph, ArchitectureGraph, type GraphNode, type GraphEdge, type EdgeKind } from './inspect/graph';
