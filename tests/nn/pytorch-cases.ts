// The PyTorch parity cases: for each fixture in tests/fixtures/pytorch (made by
// scripts/pytorch/make_parity_fixtures.py), the nn expression that builds the same block, and which nn
// layer plays the part of each PyTorch module (the explicit name mapping nn.loadTorchWeights needs).
// Shared by the unit test (CPU) and the e2e spec (WebGPU, inside a notebook cell): `build` is cell source.
// No imports, so Playwright and vitest can both load it.

export interface ParityCase {
  /** Fixture file name without .json. */
  name: string;
  /** An nn expression, evaluated with `nn` in scope. */
  build: string;
  /** PyTorch module path → nn layer path (sublayer names joined by "/"). */
  modules: Record<string, string>;
}

/** Modules that keep their PyTorch name in nn. */
const same = (...names: string[]): Record<string, string> => Object.fromEntries(names.map((n) => [n, n]));

/** torchvision's downsample Sequential(conv1×1, BN) is nn's downsample.conv and downsample.bn. */
const downsample = { 'downsample.0': 'downsample.conv', 'downsample.1': 'downsample.bn' };
const bottleneck = { ...same('conv1', 'bn1', 'conv2', 'bn2', 'conv3', 'bn3'), ...downsample };

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** torchvision _DenseBlock's denselayerN.{norm1,conv1,norm2,conv2} sit under the same names in nn's DenseBlock. */
function denseBlockBC(layers: number): Record<string, string> {
  const entries = range(layers).flatMap((i) =>
    ['norm1', 'conv1', 'norm2', 'conv2'].map((m) => [`denselayer${i + 1}.${m}`, `denselayer${i + 1}/${m}`]),
  );
  return Object.fromEntries(entries);
}

/** d2l's DenseBlock: net.i = Sequential(BN, ReLU, conv) is nn's denselayer{i+1}/norm and /conv. */
function d2lDenseBlock(torchPrefix: string, nnPrefix: string, convs: number): Record<string, string> {
  const entries = range(convs).flatMap((i) => [
    [`${torchPrefix}net.${i}.0`, `${nnPrefix}denselayer${i + 1}/norm`],
    [`${torchPrefix}net.${i}.2`, `${nnPrefix}denselayer${i + 1}/conv`],
  ]);
  return Object.fromEntries(entries);
}

/** FractalBlock: columns.c.d = Sequential(conv, BN, ReLU) is nn's col{c}.conv{d} and col{c}.bn{d}. */
function fractal(columns: number): Record<string, string> {
  const entries = range(columns).flatMap((c) =>
    range(2 ** c).flatMap((d) => [
      [`columns.${c}.${d}.0`, `col${c}.conv${d}`],
      [`columns.${c}.${d}.1`, `col${c}.bn${d}`],
    ]),
  );
  return Object.fromEntries(entries);
}

/** d2l's b1 = Sequential(conv, BN, ReLU, max-pool) inside its net Sequential. */
const d2lStem = { 'net.b1.0': 'b1.conv', 'net.b1.1': 'b1.bn' };

/** d2l's ResNet-18: stages b2…b5 of two Residuals (conv1, bn1, conv2, bn2; conv3 = bare 1×1 shortcut). */
function d2lResNet18(): Record<string, string> {
  const entries = [2, 3, 4, 5].flatMap((stage) =>
    [0, 1].flatMap((i) => {
      const t = `net.b${stage}.${i}`;
      const n = `b${stage}.${i}`;
      const pairs = ['conv1', 'bn1', 'conv2', 'bn2'].map((m) => [`${t}.${m}`, `${n}/${m}`]);
      if (stage > 2 && i === 0) pairs.push([`${t}.conv3`, `${n}/downsample.conv`]);
      return pairs;
    }),
  );
  return { ...d2lStem, ...Object.fromEntries(entries), 'net.last.2': 'fc' };
}

/** d2l's DenseNet with arch (2, 2): dense_blk1, tran_blk1 (BN, ReLU, conv, pool), dense_blk2, last (BN, …, linear). */
function d2lDenseNet(): Record<string, string> {
  return {
    ...d2lStem,
    ...d2lDenseBlock('net.dense_blk1.', 'dense1/', 2),
    'net.tran_blk1.0': 'trans1/norm',
    'net.tran_blk1.2': 'trans1/conv',
    ...d2lDenseBlock('net.dense_blk2.', 'dense2/', 2),
    'net.last.0': 'bn',
    'net.last.4': 'fc',
  };
}

export const PARITY_CASES: ParityCase[] = [
  { name: 'basic_v1_s1', build: 'nn.basicBlock({ filters: 8 })', modules: same('conv1', 'bn1', 'conv2', 'bn2') },
  { name: 'basic_v1_s2', build: 'nn.basicBlock({ filters: 16, strides: 2 })', modules: { ...same('conv1', 'bn1', 'conv2', 'bn2'), ...downsample } },
  { name: 'basic_v2_s1', build: 'nn.basicBlock({ filters: 8, preact: true })', modules: same('bn1', 'conv1', 'bn2', 'conv2') },
  {
    name: 'basic_v2_s2',
    build: 'nn.basicBlock({ filters: 16, strides: 2, preact: true })',
    modules: { ...same('bn1', 'conv1', 'bn2', 'conv2'), shortcut: 'downsample.conv' },
  },
  { name: 'bottleneck_s2', build: 'nn.bottleneck({ filters: 4, strides: 2 })', modules: bottleneck },
  { name: 'resnext_s2', build: 'nn.bottleneck({ filters: 8, strides: 2, groups: 4, baseWidth: 16 })', modules: bottleneck },
  { name: 'se', build: 'nn.seBlock({ reduction: 4 })', modules: same('fc1', 'fc2') },
  {
    name: 'se_bottleneck_s2',
    build: 'nn.bottleneck({ filters: 4, strides: 2, seReduction: 4 })',
    modules: { ...bottleneck, 'se.fc1': 'se/fc1', 'se.fc2': 'se/fc2' },
  },
  { name: 'dense_layer', build: 'new nn.DenseLayer({ growthRate: 4, bottleneck: true })', modules: same('norm1', 'conv1', 'norm2', 'conv2') },
  { name: 'dense_block', build: 'new nn.DenseBlock({ numLayers: 2, growthRate: 4, bottleneck: true })', modules: denseBlockBC(2) },
  { name: 'transition', build: 'new nn.Transition({ filters: 8 })', modules: same('norm', 'conv') },
  { name: 'd2l_dense_block', build: 'nn.denseBlock(2, 4)', modules: d2lDenseBlock('', '', 2) },
  { name: 'fractal', build: 'nn.fractalBlock({ columns: 3, filters: 4 })', modules: fractal(3) },
  {
    name: 'd2l_resnet18',
    build: 'nn.d2l.resnet18({ inputShape: [64, 64, 1], widths: [8, 8, 16, 16], stemWidth: 8 })',
    modules: d2lResNet18(),
  },
  { name: 'd2l_densenet', build: 'nn.d2l.densenet({ inputShape: [64, 64, 1], growthRate: 4, blockConfig: [2, 2] })', modules: d2lDenseNet() },
];

/** Tolerance on the relative error below. */
export const PARITY_TOLERANCE = 1e-4;

/** A fixture tensor: shape, layout name, and little-endian float32 data in base64. */
export interface FixtureTensor {
  shape: number[];
  layout: string;
  float32: string;
}

export interface ParityFixture {
  case: string;
  module: string;
  input: FixtureTensor;
  output: FixtureTensor;
  params: Record<string, FixtureTensor>;
}
