// Shape hints: while a cell runs, the output shape of every layer, block or model it applies, with the line of the
// cell that applied it, so that the editor can show `→ [2, 14, 14, 32]` beside that line.
//
// One door sees nearly all of it: tf.layers.Layer.prototype.apply (layers, nn's blocks, models, on real and
// symbolic tensors alike), plus the models' predict family, which runs its layers without going through the model's
// own apply. Only the outermost application is recorded: a ResNet's apply runs hundreds of inner ones, and their
// lines are the library's, not the cell's. The line comes from the same stack-to-cell mapping that errors use
// (CellRegistry.locate), so the hint lands where an error from that call would. Shapes are read, never values:
// a hint costs one stack capture per outermost application (about 50 µs; building nn.d2l.densenet() takes 17 of
// them), and a run records at most MAX_RECORDED, so a cell applying a layer in a long loop pays at most ~50 ms.
import type { ShapeHint } from '../protocol';

type Shape = Array<number | null>;
type Method = (this: unknown, ...args: unknown[]) => unknown;
type Prototype = Record<string, unknown>;

/** Finds the running cell's line in a stack captured inside a call; undefined when no frame lies in that cell. */
export type LocateLine = (where: Error) => number | undefined;

/** Whose methods to watch: taken from the tf namespace the cells see. */
export interface ShapeHintTargets {
  /** Its `apply`: every layer, block and model. */
  layer?: Prototype;
  /** LayersModel's and Sequential's prototypes, whose predict and fit families bypass the model's apply. */
  models: Prototype[];
}

/** Methods that apply a model to inputs and return its outputs: recorded like apply. */
const APPLYING = ['apply', 'predict', 'predictOnBatch', 'execute'];
/** Methods that apply the model batch after batch for their own ends: what they do inside is not recorded. */
const QUIET = ['fit', 'fitDataset', 'evaluate', 'evaluateDataset', 'trainOnBatch'];
/** A bound on a run's stack captures, so that a cell applying a model in a long loop pays for this many at most. */
export const MAX_RECORDED = 1000;
/** Frames between a cell's `layer.apply(x)` and the capture: the wrappers here, plus a few to spare. */
const SHALLOW_FRAMES = 8;

/** The tf namespace's prototypes to watch, or none where it has no layers (a bare tf-core). */
export function shapeHintTargets(tf: Record<string, unknown>): ShapeHintTargets {
  const protoOf = (ctor: unknown): Prototype | undefined =>
    typeof ctor === 'function' ? ((ctor as { prototype?: Prototype }).prototype ?? undefined) : undefined;
  const layers = tf['layers'] as Record<string, unknown> | undefined;
  return {
    layer: protoOf(layers?.['Layer']),
    models: [protoOf(tf['LayersModel']), protoOf(tf['Sequential'])].filter((p): p is Prototype => p !== undefined),
  };
}

export class ShapeHintRecorder {
  private locate: LocateLine | null = null;
  /** Line → outputs of the last outermost application on it. */
  private readonly byLine = new Map<number, Shape[]>();
  private depth = 0;
  private recorded = 0;
  /** Bumped by each start: a fit left running by an earlier cell must not unbalance this run's depth when it ends. */
  private run = 0;
  private readonly installed: Array<{ proto: Prototype; name: string; original: unknown; wrapper: Method }> = [];

  constructor(private readonly targets: ShapeHintTargets) {}

  /** Starts recording a cell's run; `locate` maps a captured stack to that cell's line. */
  start(locate: LocateLine): void {
    this.stop();
    this.locate = locate;
    this.run++;
    this.depth = 0;
    this.recorded = 0;
    this.byLine.clear();
    if (this.targets.layer) this.wrap(this.targets.layer, 'apply', true);
    for (const proto of this.targets.models) {
      for (const name of APPLYING) if (name !== 'apply') this.wrap(proto, name, true);
      for (const name of QUIET) this.wrap(proto, name, false);
    }
  }

  /** Stops recording and puts the methods back; returns what the run recorded, in line order. */
  stop(): ShapeHint[] {
    for (const { proto, name, original, wrapper } of this.installed.splice(0).reverse()) {
      // Someone who wrapped the method after us keeps their wrapper; ours then passes calls straight through.
      if (proto[name] === wrapper) proto[name] = original;
    }
    this.locate = null;
    const hints = [...this.byLine].map(([line, shapes]) => ({ line, shapes })).sort((a, b) => a.line - b.line);
    this.byLine.clear();
    return hints;
  }

  /** Wraps proto[name] where proto itself defines it (Sequential's predict is its own, its apply is Layer's). */
  private wrap(proto: Prototype, name: string, records: boolean): void {
    if (!Object.prototype.hasOwnProperty.call(proto, name) || typeof proto[name] !== 'function') return;
    const original = proto[name] as Method;
    const call = (self: unknown, args: unknown[]) =>
      this.locate === null ? original.apply(self, args) : this.around(() => original.apply(self, args), records);
    // A plain function, so that `this` is the layer or model it was called on.
    const wrapper: Method = function (this: unknown, ...args: unknown[]) {
      return call(this, args);
    };
    this.installed.push({ proto, name, original, wrapper });
    proto[name] = wrapper;
  }

  private around(call: () => unknown, records: boolean): unknown {
    const outermost = this.depth === 0;
    this.depth++;
    let result: unknown;
    try {
      result = call();
    } catch (err) {
      this.depth--;
      throw err;
    }
    if (result instanceof Promise) {
      // fit and friends: everything until they settle is theirs.
      const run = this.run;
      return result.finally(() => {
        if (this.run === run) this.depth--;
      });
    }
    this.depth--;
    if (records && outermost) this.record(result);
    return result;
  }

  private record(result: unknown): void {
    if (this.recorded >= MAX_RECORDED || !this.locate) return;
    const shapes = outputShapes(result);
    if (!shapes) return;
    this.recorded++;
    // Where the application was called from. A cell's own call lies a few frames up: a short stack is cheaper to
    // capture and read, and only an application made deep inside a library needs the deep one (the session keeps
    // stacks deep enough to reach the cell's frame).
    const line = this.locate(stackOfDepth(SHALLOW_FRAMES)) ?? this.locate(new Error('shape hint'));
    if (line !== undefined) this.byLine.set(line, shapes);
  }
}

/** An Error whose stack keeps at most `frames` frames (V8 collects them when the Error is made). */
function stackOfDepth(frames: number): Error {
  const limited = Error as { stackTraceLimit?: number };
  const saved = limited.stackTraceLimit;
  // Engines without the limit (Firefox) keep their own depth.
  if (typeof saved !== 'number') return new Error('shape hint');
  limited.stackTraceLimit = frames;
  try {
    return new Error('shape hint');
  } finally {
    limited.stackTraceLimit = saved;
  }
}

/** The shapes of a tensor, a symbolic tensor, or an array of them; undefined for anything else. */
function outputShapes(result: unknown): Shape[] | undefined {
  const items = Array.isArray(result) ? result : [result];
  if (items.length === 0) return undefined;
  const shapes: Shape[] = [];
  for (const item of items) {
    const shape = (item as { shape?: unknown } | null)?.shape;
    if (!Array.isArray(shape) || !shape.every((d) => d === null || typeof d === 'number')) return undefined;
    shapes.push(shape.slice() as Shape);
  }
  return shapes;
}
