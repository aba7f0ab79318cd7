// What happens to the GPU memory of a value when a re-run cell rebinds its name.
//
// The rule: when a cell re-runs and a name it declares now holds a different value, the tensors and model
// weights that the old value held are disposed, unless some binding in the notebook scope (the new values
// included) still reaches them. Re-running `const model = nn.resnet50()` five times then costs one model,
// not five, and a learner who kept a reference (`const keep = model` in another cell) keeps a working model.
// Reachability is followed through tensors, layers and models (their weights), optimizers (their slot
// variables), arrays, plain objects, Maps and Sets; other class instances are opaque, so a library object
// (a dataset, a history) is never taken apart. What was freed is reported, so nothing disappears silently.

interface TensorLike {
  readonly dataId: object;
  readonly shape: number[];
  readonly size: number;
  readonly dtype: string;
  readonly isDisposed: boolean;
  dispose(): void;
}

interface LayerVariableLike {
  read(): unknown;
}

/** How deep and how wide one value is searched: scopes hold big arrays of numbers, which need no walk. */
const MAX_DEPTH = 6;
const MAX_VISITS = 20_000;

function isTensor(v: object): v is TensorLike {
  const t = v as Partial<TensorLike>;
  return typeof t.dispose === 'function' && typeof t.dataId === 'object' && Array.isArray(t.shape) && typeof t.isDisposed === 'boolean';
}

function isLayerLike(v: object): v is { weights: LayerVariableLike[]; getClassName(): string } {
  const l = v as { weights?: unknown; getClassName?: unknown };
  return typeof l.getClassName === 'function' && Array.isArray(safeGet(() => l.weights));
}

function isOptimizerLike(v: object): boolean {
  const o = v as { applyGradients?: unknown; getClassName?: unknown };
  return typeof o.applyGradients === 'function' && typeof o.getClassName === 'function';
}

function isPlainContainer(v: object): boolean {
  if (Array.isArray(v) || v instanceof Map || v instanceof Set) return true;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function safeGet<T>(get: () => T): T | undefined {
  try {
    return get();
  } catch {
    return undefined; // a throwing getter, or a disposed layer variable
  }
}

/** Every live tensor (variables included) that `value` reaches. */
export function reachableTensors(value: unknown, into: Set<TensorLike> = new Set()): Set<TensorLike> {
  const seen = new Set<object>();
  let visits = 0;
  const visit = (v: unknown, depth: number): void => {
    if (typeof v !== 'object' || v === null || seen.has(v) || depth > MAX_DEPTH || ++visits > MAX_VISITS) return;
    seen.add(v);
    if (isTensor(v)) {
      if (!v.isDisposed) into.add(v);
      return;
    }
    if (isLayerLike(v)) {
      for (const w of v.weights) visit(safeGet(() => w.read()), depth + 1);
      return;
    }
    if (isOptimizerLike(v) || isPlainContainer(v)) {
      const children = v instanceof Map ? [...v.values()] : v instanceof Set ? [...v] : Object.values(v);
      for (const child of children) visit(child, depth + 1);
    }
  };
  visit(value, 0);
  return into;
}

export interface Released {
  /** The rebound names whose old values held something that was freed. */
  names: string[];
  tensors: number;
  bytes: number;
}

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8 };

/**
 * Disposes what the old values of rebound names held and nothing in `scope` still reaches.
 * `previous` maps each name the cell declared to its value before the run.
 */
export function releaseRebound(previous: Map<string, unknown>, scope: Record<string, unknown>): Released {
  const released: Released = { names: [], tensors: 0, bytes: 0 };
  const rebound = [...previous].filter(([name, old]) => typeof old === 'object' && old !== null && scope[name] !== old);
  if (rebound.length === 0) return released;
  const kept = new Set<TensorLike>();
  for (const value of Object.values(scope)) reachableTensors(value, kept);
  for (const [name, old] of rebound) {
    let freedHere = 0;
    for (const t of reachableTensors(old)) {
      if (kept.has(t) || t.isDisposed) continue;
      released.bytes += t.size * (BYTES_PER_ELEMENT[t.dtype] ?? 4);
      t.dispose();
      freedHere++;
    }
    if (freedHere) {
      released.names.push(name);
      released.tensors += freedHere;
    }
  }
  return released;
}

export function describeReleased(r: Released): string {
  const names = r.names.map((n) => `\`${n}\``).join(', ');
  return `Freed what the previous ${names} held (${r.tensors} tensor${r.tensors === 1 ? '' : 's'}, ${formatBytes(r.bytes)}): this cell redefined ${r.names.length === 1 ? 'it' : 'them'}.\n`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
