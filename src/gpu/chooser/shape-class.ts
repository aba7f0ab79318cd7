// Which kernel calls share one timing ("shape class"). Pure: no tfjs, so the unit tests check it in Node.
//
// Exact shapes would be the simplest key, but a training run meets the same layer at its training batch, its last
// partial batch and its evaluation batch, and tf.layers' BatchNorm and the optimiser call Multiply/Add/Sub on every
// weight's shape: timing each exactly would spend the calibration budget on near-duplicates. So the key keeps exact
// what selects a different program or changes how well it fits (kernel size, stride, padding, channel counts,
// which decide vec4 vs scalar bindings and register-block widths, broadcast pattern, reduction axes, fused
// activation) and rounds what only scales the work (pixels, batch, element counts) up to a power of two. Within
// a class both candidates' times scale alike, so one timing (on the first call seen) stands for the class.

export interface Operand { name: string; shape: readonly number[]; dtype: string }

/**
 * One kernel call as the chooser sees it: tfjs's kernel name, its inputs in order, and its attributes. `list`:
 * the inputs came as an array (Concat's), which the stock kernel needs back as an array.
 */
export interface KernelCall { op: string; inputs: Operand[]; attrs: Record<string, unknown>; list?: boolean }

/** n rounded up to a power of two (0 and 1 stay): the coarse size of a class. */
export function sizeBucket(n: number): number {
  return n <= 1 ? Math.max(0, n) : 2 ** Math.ceil(Math.log2(n));
}

const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** A value as text, stable across calls: arrays joined, objects by sorted keys, everything else as String(). */
function attrText(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(attrText).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${k}:${attrText((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return String(v);
}

const input = (call: KernelCall, name: string) => call.inputs.find((o) => o.name === name);

/** Convolutions: filter size, stride, padding, dilation, channels and epilogue exact; pixels bucketed. */
function convClass(call: KernelCall): string {
  const a = call.attrs;
  let pixels: number; let cin: number; let cout: number; let kernel: readonly number[];
  if (call.op === 'Conv2DBackpropInput') {
    const inShape = a.inputShape as number[];
    kernel = input(call, 'filter')?.shape ?? [];
    pixels = product(inShape.slice(0, 3)); cin = inShape[3]; cout = kernel[3];
  } else if (call.op === 'Conv2DBackpropFilter') {
    const x = input(call, 'x')?.shape ?? [];
    kernel = a.filterShape as number[];
    pixels = product(x.slice(0, 3)); cin = kernel[2]; cout = kernel[3];
  } else {
    const x = input(call, 'x')?.shape ?? [];
    kernel = input(call, 'filter')?.shape ?? [];
    pixels = product(x.slice(0, 3)); cin = kernel[2]; cout = kernel[3];
  }
  const geometry = `${kernel[0]}x${kernel[1]}/s${attrText(a.strides)}/p${attrText(a.pad)}/d${attrText(a.dilations ?? 1)}/${attrText(a.dataFormat ?? 'NHWC')}`;
  const epilogue = call.op === 'FusedConv2D'
    ? `|${attrText(a.activation ?? 'linear')}${input(call, 'bias') ? '+bias' : ''}${input(call, 'preluActivationWeights') ? '+prelu' : ''}`
    : '';
  const dtypes = call.inputs.map((o) => o.dtype).join(',');
  return `${call.op}|${dtypes}|${geometry}|c${cin}>${cout}|px~${sizeBucket(pixels)}${epilogue}`;
}

/** An operand as [leading dims bucketed] × last dim exact: broadcast pattern (rank) and vec4 alignment stay visible. */
function operandClass(o: Operand): string {
  const last = o.shape.length ? o.shape[o.shape.length - 1] : 1;
  return `${o.dtype}${o.shape.length}d~${sizeBucket(product(o.shape.slice(0, -1)))}x${last}`;
}

/**
 * Slices: which axes are cut and the cut's alignment on the last of them (vec4 or not), not where: a dense
 * block's gradient slices every layer's channels at a different offset, and all of them run the same copy.
 */
function sliceAttrs(call: KernelCall): string {
  const shape = call.inputs[0]?.shape ?? [];
  const begin = (call.attrs.begin as number[]) ?? [];
  const size = ((call.attrs.size as number[]) ?? []).map((s, i) => (s === -1 ? shape[i] - begin[i] : s));
  const cut = shape.map((d, i) => (begin[i] !== 0 || size[i] !== d ? i : -1)).filter((i) => i >= 0);
  const lastCut = cut.length ? cut[cut.length - 1] : -1;
  const align = lastCut >= 0 ? `${begin[lastCut] % 4 === 0 && size[lastCut] % 4 === 0 ? 'a4' : 'u'}` : 'whole';
  return `cut[${cut.join(',')}]/${align}/out~${sizeBucket(product(size))}`;
}

const CONVS = new Set(['Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter']);

/** The shape class of a call: calls with equal keys share one timing and one choice. */
export function shapeClass(call: KernelCall): string {
  if (CONVS.has(call.op)) return convClass(call);
  const operands = call.inputs.map(operandClass).join(',');
  const attrs = call.op === 'Slice'
    ? sliceAttrs(call)
    : Object.keys(call.attrs).sort().map((k) => `${k}=${attrText(call.attrs[k])}`).join(';');
  return `${call.op}|${operands}|${attrs}`;
}
