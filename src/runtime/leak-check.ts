// Tells a cell when it left tensors alive that nothing in the notebook holds: GPU memory that only a restart frees.
//
// The rule: a tensor counts as leaked when this run created it, it is still alive when the run ends, it is no
// variable (model weights, optimizer state and every tf.Variable are state by design) and no notebook name reaches it
// (through tensors, arrays, plain objects, Maps, Sets, layers, models and optimizers; see rebind-cleanup.ts). The
// cell is told only when the leak is worth a learner's attention: LEAK_MIN_TENSORS or more, or LEAK_MIN_BYTES or more.
// A cell that defines a model (its weights are variables bound to a name), loads data or trains leaks nothing; a
// `tf.ones([2, 2]).add(1)` shown as a result leaks two tiny tensors and is left alone; 150 unbound 16 MB tensors are
// reported. Tensors that only a closure or a class instance holds cannot be seen and count as leaked.
import { formatBytes, reachableTensors } from './rebind-cleanup';

export const LEAK_MIN_TENSORS = 100;
export const LEAK_MIN_BYTES = 32 * 1024 * 1024;

/** How many created tensors are kept before the disposed ones are swept out (a training loop makes millions). */
const SWEEP_EVERY = 20_000;

interface TrackedTensor {
  readonly dataId: object;
  readonly size: number;
  readonly dtype: string;
  readonly isDisposed: boolean;
}

/** The little of tfjs's Engine this needs: the hook every new tensor passes through, and the registered variables. */
interface EngineLike {
  trackTensor(tensor: TrackedTensor, backend: unknown): void;
  state: { registeredVariables: Record<string, TrackedTensor> };
}

export interface TfWithEngine {
  engine(): unknown;
}

export interface Leak {
  tensors: number;
  bytes: number;
}

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8 };

export class TensorLeakCheck {
  private created: TrackedTensor[] = [];
  private recording = false;
  private installed = false;

  constructor(private readonly tf: TfWithEngine) {}

  /** Starts recording the tensors this run creates. */
  begin(): void {
    this.install();
    this.created = [];
    this.recording = true;
  }

  /** Stops recording; the leak when it is worth reporting, else null. `scope` is the notebook's names. */
  end(scope: Record<string, unknown>): Leak | null {
    this.recording = false;
    const created = this.created;
    this.created = [];
    const engine = this.engine();
    if (!engine) return null;
    const variableData = new Set(Object.values(engine.state.registeredVariables).map((v) => v.dataId));
    let alive = uniqueData(created.filter((t) => !t.isDisposed && !variableData.has(t.dataId)));
    if (!worthReporting(alive)) return null;
    // Only now the walk over the scope: most runs never get here.
    const reachable = new Set<object>();
    for (const value of Object.values(scope)) for (const t of reachableTensors(value)) reachable.add(t.dataId);
    alive = alive.filter((t) => !reachable.has(t.dataId));
    return worthReporting(alive) ? { tensors: alive.length, bytes: bytesOf(alive) } : null;
  }

  private engine(): EngineLike | null {
    try {
      const engine = this.tf.engine() as Partial<EngineLike> | undefined;
      return engine && typeof engine.trackTensor === 'function' && engine.state?.registeredVariables ? (engine as EngineLike) : null;
    } catch {
      return null;
    }
  }

  /** Wraps the engine's trackTensor once; it records only while a run is being watched. */
  private install(): void {
    if (this.installed) return;
    const engine = this.engine();
    if (!engine) return;
    this.installed = true;
    const track = engine.trackTensor.bind(engine);
    engine.trackTensor = (tensor, backend) => {
      track(tensor, backend);
      if (!this.recording) return;
      this.created.push(tensor);
      if (this.created.length % SWEEP_EVERY === 0) this.created = this.created.filter((t) => !t.isDisposed);
    };
  }
}

/** One entry per data buffer: a tensor and a reshape of it share one. */
function uniqueData(tensors: TrackedTensor[]): TrackedTensor[] {
  const seen = new Set<object>();
  return tensors.filter((t) => (seen.has(t.dataId) ? false : (seen.add(t.dataId), true)));
}

function bytesOf(tensors: TrackedTensor[]): number {
  return tensors.reduce((sum, t) => sum + t.size * (BYTES_PER_ELEMENT[t.dtype] ?? 4), 0);
}

function worthReporting(tensors: TrackedTensor[]): boolean {
  return tensors.length >= LEAK_MIN_TENSORS || bytesOf(tensors) >= LEAK_MIN_BYTES;
}

export function describeLeak(leak: Leak, label: string): string {
  const what = `${leak.tensors} new tensor${leak.tensors === 1 ? '' : 's'} (${formatBytes(leak.bytes)})`;
  return (
    `${label} left ${what} alive that no notebook name holds: they stay in memory until the kernel restarts. ` +
    `Wrap temporary work in tf.tidy(() => …), dispose what you no longer need (t.dispose()), or keep what you need in a name.\n`
  );
}
