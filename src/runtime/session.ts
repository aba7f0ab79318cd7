// The kernel proper, independent of the Worker object so that Node tests can drive it with a fake post().
//
// Sequencing follows Jupyter: for each execute_request, status busy → outputs (stream, display_data,
// execute_result, error) → execute_reply → status idle, one request at a time. This is the notebook's only run
// queue: the page sends requests as the learner asks for them, and an error or an interrupt aborts the
// requests queued behind (stop on error). Outputs go through one ordered chain, because a tensor's
// values are read back asynchronously while a later print() may be ready at once.
import type {
  BackendName,
  ExecuteRequest,
  KernelReady,
  KernelToPage,
  MemoryInfo,
  MimeBundle,
  OutputMetadata,
  OptionRequest,
  PageToKernel,
} from '../protocol';
import { cellBound, clearInterrupt, requestInterrupt, setCurrentCell, type CellContext } from '../cell/context';
import { compileCell } from './compile';
import { errorContent } from './error-content';
import { CellRegistry, keepCellFramesInStacks } from './cell-runner';
import { NotebookScope, type ScopeObject } from './scope';
import { createBuiltins, type LibraryLoadResult, type BuiltinsHost } from './builtins';
import { interruptibleAwait, resetYieldClock } from './interrupt';
import { prepareBundle } from './format';
import { inspect } from './inspect';
import { describeReleased, releaseRebound } from './rebind-cleanup';
import { ShapeHintRecorder, shapeHintTargets } from './shape-hints';
import { CellGuards } from './cell-guards';
import type { TfWithEngine } from './leak-check';

export interface TfForKernel {
  memory(): { numTensors: number; numBytes: number; numBytesInGPU?: number; numBytesAllocatedInGPU?: number } & object;
  version?: Record<string, string> | { tfjs?: string };
}

export interface BackendReport {
  backend: BackendName;
  fallback_reason?: string;
  adapter?: KernelReady['content']['adapter'];
}

export interface SessionOptions {
  post(message: KernelToPage): void;
  /** The tf namespace the cells see (also used for tf.memory()). */
  tf: TfForKernel & Record<string, unknown>;
  initBackend(): Promise<BackendReport>;
  loadLibraries(): Promise<LibraryLoadResult>;
  tfjsVersion?: string;
}

export class KernelSession {
  readonly scope = new NotebookScope();
  private readonly registry = new CellRegistry();
  /** Records the running cell's layer applications for the editor's shape hints (created on the first run). */
  private shapeHints: ShapeHintRecorder | null = null;
  private builtins: ScopeObject = Object.create(null) as ScopeObject;
  private libraries: LibraryLoadResult['libraries'] = {};
  private readonly queue: ExecuteRequest[] = [];
  private running = false;
  private ready = false;
  private readyPromise: Promise<void> | null = null;
  private executionCount = 0;
  /** msg_id of the cell running now, or of the last one (for work that outlives its cell). */
  private parentId: string | undefined;
  private outputChain: Promise<void> = Promise.resolve();
  private pendingOutputs = 0;
  private displayCounter = 0;
  /** Objects the running cell already displayed: its result does not show them a second time. */
  private shownThisCell = new WeakSet<object>();
  /** The cells' timers and the tensors each run leaves alive (cell-guards.ts); made with the builtins. */
  private guards: CellGuards | null = null;

  constructor(private readonly options: SessionOptions) {}

  /** Initialises the backend and libraries, then announces kernel_ready. Safe to call once. */
  start(): Promise<void> {
    if (!this.readyPromise) this.readyPromise = this.boot();
    return this.readyPromise;
  }

  private async boot(): Promise<void> {
    this.send({ msg_type: 'status', content: { execution_state: 'starting' } });
    let backend: BackendReport;
    try {
      backend = await this.options.initBackend();
    } catch (err) {
      // Without any backend there is nothing to run, but the page must still hear why.
      this.send({ msg_type: 'stream', content: { name: 'stderr', text: `Kernel failed to start: ${describe(err)}\n` } });
      backend = { backend: 'cpu', fallback_reason: describe(err) };
    }
    performance.mark('kernel:backend-ready');
    const loaded = await this.options.loadLibraries();
    performance.mark('kernel:libraries-loaded');
    this.libraries = loaded.libraries;
    this.builtins = createBuiltins(this.options.tf, this.libraries, this.host());
    this.guards = new CellGuards(this.options.tf as unknown as TfWithEngine, () => this.parentId);
    Object.assign(this.builtins, this.guards.builtins);
    for (const note of loaded.notes) this.send({ msg_type: 'stream', content: { name: 'stderr', text: note + '\n' } });
    this.ready = true;
    this.send({
      msg_type: 'kernel_ready',
      content: {
        backend: backend.backend,
        fallback_reason: backend.fallback_reason,
        adapter: backend.adapter,
        tfjs_version: this.options.tfjsVersion ?? tfjsVersionOf(this.options.tf),
      },
    });
    this.send({ msg_type: 'resource_usage', content: this.memory() });
    this.send({ msg_type: 'status', content: { execution_state: 'idle' } });
    void this.drain();
  }

  receive(message: PageToKernel): void {
    switch (message.msg_type) {
      case 'execute_request':
        this.queue.push(message);
        void this.drain();
        return;
      case 'interrupt_request':
        // As in Jupyter: the running cell stops at its next await, and requests still queued are aborted.
        requestInterrupt();
        // Timers cells left running stop too, each cell told what of its own was cleared.
        for (const note of this.guards?.interrupt() ?? []) this.print(note.text, 'stderr', note.parentId);
        this.abortQueued();
        this.send({ msg_type: 'interrupt_reply', parent_id: message.msg_id, content: { status: 'ok' } });
        return;
      case 'option_request':
        void this.applyOption(message);
        return;
      default: {
        const unknown = message as { msg_type?: unknown };
        this.print(`Kernel ignored an unknown message type: ${String(unknown.msg_type)}\n`, 'stderr');
      }
    }
  }

  /** For errors no cell awaited (a rejected promise left behind, a throw in a timer callback). */
  reportUncaught(kind: 'rejection' | 'error', reason: unknown): void {
    const what = kind === 'rejection' ? 'Unhandled promise rejection' : 'Uncaught error';
    const detail = reason instanceof Error ? `${reason.name}: ${reason.message}` : inspect(reason);
    this.print(`${what}: ${detail}\n`, 'stderr');
  }

  reportDeviceLost(reason: string, message: string): void {
    this.send({
      msg_type: 'device_lost',
      parent_id: this.parentId,
      content: { reason, message: `${message} Tensors on the GPU are gone; restart the kernel to get a new device.` },
    });
  }

  private async drain(): Promise<void> {
    if (this.running || !this.ready) return;
    this.running = true;
    try {
      while (this.queue.length) {
        const request = this.queue.shift()!;
        const ok = await this.execute(request);
        if (!ok) this.abortQueued();
      }
    } finally {
      this.running = false;
    }
  }

  private abortQueued(): void {
    for (const request of this.queue.splice(0)) {
      const parent_id = request.msg_id;
      this.send({ msg_type: 'status', parent_id, content: { execution_state: 'busy' } });
      this.send({ msg_type: 'execute_reply', parent_id, content: { status: 'aborted', execution_count: null } });
      this.send({ msg_type: 'status', parent_id, content: { execution_state: 'idle' } });
    }
  }

  private async execute(request: ExecuteRequest): Promise<boolean> {
    const parent_id = request.msg_id;
    const silent = request.content.silent === true;
    clearInterrupt();
    resetYieldClock();
    this.parentId = parent_id;
    this.shownThisCell = new WeakSet();
    this.send({ msg_type: 'status', parent_id, content: { execution_state: 'busy' } });
    if (!silent) this.executionCount++;
    const count = this.executionCount;
    const label = request.content.cell_label ?? `Cell [${count}]`;
    setCurrentCell(this.cellContext(request.content.cell_id));
    this.guards?.begin();

    let ok = true;
    let cellId: number | undefined;
    let previous: Map<string, unknown> | undefined;
    try {
      const compiled = compileCell(request.content.code);
      previous = new Map(compiled.declaredNames.map((name) => [name, this.scope.get(name)]));
      this.scope.declare(compiled.declaredNames);
      const instance = this.registry.instantiate(compiled, label);
      cellId = instance.id;
      const ranCell = instance.id;
      keepCellFramesInStacks();
      (this.shapeHints ??= new ShapeHintRecorder(shapeHintTargets(this.options.tf))).start((where) => this.registry.locate(where, ranCell)?.line);
      const value = await instance.fn(this.scope.vars, this.builtins, interruptibleAwait);
      // Before the clean-up: live views move to the new values while the old ones still exist.
      cellBound(request.content.cell_id, previous, this.scope.vars);
      this.releaseRebound(previous);
      previous = undefined;
      const alreadyShown = typeof value === 'object' && value !== null && this.shownThisCell.has(value);
      const pending = !silent && compiled.hasResult && !alreadyShown ? prepareBundle(value) : undefined;
      if (pending) {
        this.emit(async () => ({
          msg_type: 'execute_result',
          parent_id,
          content: { execution_count: count, data: await pending, metadata: {} },
        }));
      }
    } catch (err) {
      ok = false;
      // Names the cell rebound before it failed hold new values too: the old ones are released the same way.
      if (previous) this.releaseRebound(previous);
      const content = errorContent(err, label, request.content.code, cellId, this.registry);
      this.emit(() => ({ msg_type: 'error', parent_id, content }));
    }
    for (const note of this.guards?.end(parent_id, label, this.scope.vars) ?? []) this.print(note.text, 'stderr', note.parentId);
    const shape_hints = this.shapeHints?.stop() ?? [];
    await this.outputChain;
    this.send({ msg_type: 'execute_reply', parent_id, content: { status: ok ? 'ok' : 'error', execution_count: silent ? null : count, ...(shape_hints.length ? { shape_hints } : {}) } });
    this.send({ msg_type: 'resource_usage', parent_id, content: this.memory() });
    this.send({ msg_type: 'status', parent_id, content: { execution_state: 'idle' } });
    return ok;
  }

  /** See rebind-cleanup.ts for the rule; the learner is told what was freed. */
  private releaseRebound(previous: Map<string, unknown>): void {
    try {
      const released = releaseRebound(previous, this.scope.vars);
      if (released.tensors) this.print(describeReleased(released), 'stdout');
    } catch (err) {
      this.print(`Could not free the previous values of this cell's names: ${describe(err)}\n`, 'stderr');
    }
  }

  private async applyOption(message: OptionRequest): Promise<void> {
    await this.start();
    const { name, value } = message.content;
    let error: string | undefined;
    if (name === 'kernels') {
      const lib = this.libraries.kernels as { use?: (v: string) => unknown } | undefined;
      try {
        if (!lib || typeof lib.use !== 'function') throw new Error('the kernels library has no use() function');
        await lib.use(value);
      } catch (err) {
        error = describe(err);
      }
    } else {
      error = `unknown option "${String(name)}"`;
    }
    if (error) this.print(`Option ${String(name)}=${String(value)} not applied: ${error}\n`, 'stderr', message.msg_id);
    this.send({ msg_type: 'option_reply', parent_id: message.msg_id, content: { name, value, ...(error ? { error } : {}) } });
  }

  private memory(): MemoryInfo {
    try {
      const m = this.options.tf.memory();
      const info: MemoryInfo = { numTensors: m.numTensors, numBytes: m.numBytes };
      if (typeof m.numBytesInGPU === 'number') info.numBytesInGPU = m.numBytesInGPU;
      if (typeof m.numBytesAllocatedInGPU === 'number') info.numBytesAllocatedInGPU = m.numBytesAllocatedInGPU;
      return info;
    } catch {
      return { numTensors: 0, numBytes: 0 };
    }
  }

  // ---- output plumbing -------------------------------------------------------------------------

  private send(message: KernelToPage): void {
    this.options.post(message);
  }

  /** Queues an output behind the ones already waiting; posts at once when nothing is waiting. */
  private emit(make: () => KernelToPage | undefined | Promise<KernelToPage | undefined>): void {
    if (this.pendingOutputs === 0) {
      const made = make();
      if (!(made instanceof Promise)) {
        if (made) this.send(made);
        return;
      }
      this.track(made);
      return;
    }
    this.track(this.outputChain.then(make));
  }

  private track(produced: Promise<KernelToPage | undefined>): void {
    this.pendingOutputs++;
    this.outputChain = this.outputChain
      .then(() => produced)
      .then(
        (m) => {
          if (m) this.send(m);
        },
        (err: unknown) => this.send({ msg_type: 'stream', parent_id: this.parentId, content: { name: 'stderr', text: `Output failed: ${describe(err)}\n` } }),
      )
      .finally(() => {
        this.pendingOutputs--;
      });
  }

  private print(text: string, stream: 'stdout' | 'stderr', parent = this.parentId): void {
    this.emit(() => ({ msg_type: 'stream', parent_id: parent, content: { name: stream, text } }));
  }

  /** Console output routed by the worker. */
  stream(name: 'stdout' | 'stderr', text: string): void {
    this.print(text, name);
  }

  private displayBundle(data: MimeBundle | Promise<MimeBundle>, displayId: string, update: boolean): void {
    const parent_id = this.parentId;
    const metadata = {};
    this.emit(() =>
      data instanceof Promise
        ? data.then((d) => this.displayMessage(d, displayId, update, parent_id, metadata))
        : this.displayMessage(data, displayId, update, parent_id, metadata),
    );
  }

  private displayMessage(data: MimeBundle, display_id: string, update: boolean, parent_id: string | undefined, metadata: OutputMetadata): KernelToPage {
    return update
      ? { msg_type: 'update_display_data', parent_id, content: { data, metadata, transient: { display_id } } }
      : { msg_type: 'display_data', parent_id, content: { data, metadata, transient: { display_id } } };
  }

  private newDisplayId(): string {
    return `display-${++this.displayCounter}`;
  }

  private host(): BuiltinsHost {
    return {
      display: (value, displayId) => {
        if (typeof value === 'object' && value !== null) this.shownThisCell.add(value);
        const id = displayId ?? this.newDisplayId();
        const pending = prepareBundle(value);
        if (pending) this.displayBundle(pending, id, false);
        return id;
      },
      updateDisplay: (displayId, value) => {
        const pending = prepareBundle(value);
        if (pending) this.displayBundle(pending, displayId, true);
      },
      print: (text, stream) => this.print(text, stream),
      newDisplayId: () => this.newDisplayId(),
    };
  }

  private cellContext(cellId?: string): CellContext {
    return {
      cellId,
      display: (data, opts) => {
        const id = opts?.displayId ?? this.newDisplayId();
        this.displayBundle(data, id, false);
        return id;
      },
      updateDisplay: (displayId, data) => this.displayBundle(data, displayId, true),
      // Libraries print lines; a missing newline would glue the next print onto this one.
      print: (text, stream = 'stdout') => this.print(text.endsWith('\n') ? text : text + '\n', stream),
      reportResources: () => this.send({ msg_type: 'resource_usage', parent_id: this.parentId, content: this.memory() }),
    };
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function tfjsVersionOf(tf: TfForKernel): string {
  const v = tf.version as Record<string, string> | undefined;
  return v?.['tfjs'] ?? v?.['tfjs-core'] ?? 'unknown';
}
