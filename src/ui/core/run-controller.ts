// Page-side orchestration of the kernel: owns the RuntimeClient, sends each cell run to the kernel as the learner
// asks for it, routes outputs into the notebook store, and keeps the state the toolbar, status bar and banners
// show. The run queue itself is the kernel's (src/runtime/session.ts), as in Jupyter: a cell is 'queued' here from
// the moment its request is sent until the kernel says it is busy with it, and the kernel's stop-on-error and
// interrupt abort what waits behind. No React here: components read it through useSyncExternalStore.
import { RuntimeClient, KernelDeadError, type CellOutput, type KernelEvent } from './runtime-client';
import type { KernelReady, MemoryInfo } from '../../protocol';
import type { NotebookStore } from './notebook-store';
import { storedOutput } from './outputs';

export type KernelDisplayState = 'not started' | 'starting' | 'idle' | 'busy' | 'restarting' | 'dead';
export type CellRunState = 'queued' | 'running';
export type KernelsChoice = 'convlab' | 'stock';

export interface Notice {
  kind: 'unresponsive' | 'restarted' | 'error' | 'info';
  text: string;
}

export interface KernelView {
  state: KernelDisplayState;
  info: KernelReady['content'] | null;
  usage: MemoryInfo | null;
  deviceLost: { reason: string; message: string } | null;
  notice: Notice | null;
  kernels: KernelsChoice;
  /** Cells waiting or running, by cell id. */
  runs: Readonly<Record<string, CellRunState>>;
  /** How many runs of each cell have ended (ok, error or cut short), for tests and progress marks. */
  finished: Readonly<Record<string, number>>;
  /** Kernel output that belongs to no cell (library load notes, worker errors). */
  log: string[];
}

const LOG_KEPT = 50;

export class RunController {
  private client: RuntimeClient | null = null;
  private view: KernelView = { state: 'not started', info: null, usage: null, deviceLost: null, notice: null, kernels: 'convlab', runs: {}, finished: {}, log: [] };
  private readonly listeners = new Set<() => void>();
  /** Bumped by restart: runs sent to an older kernel stop touching the view. */
  private epoch = 0;
  private restarting = false;

  constructor(private readonly store: NotebookStore, private readonly createClient: () => RuntimeClient = () => new RuntimeClient()) {}

  getSnapshot = (): KernelView => this.view;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Starts the worker. Called after first paint so the lesson text never waits for TensorFlow.js. */
  start(): void {
    if (this.client) return;
    this.client = this.createClient();
    this.client.on(this.onEvent);
    this.set({ state: 'starting' });
  }

  dispose(): void {
    this.client?.dispose();
    this.client = null;
  }

  /** Sends cells to the kernel's queue in order; a cell already waiting or running is not sent twice. */
  run(cellIds: string[]): void {
    this.start();
    const runs = { ...this.view.runs };
    const toSend: string[] = [];
    for (const id of cellIds) {
      const cell = this.store.cell(id);
      if (!cell || cell.type !== 'code' || runs[id]) continue;
      runs[id] = 'queued';
      toSend.push(id);
    }
    this.set({ runs });
    for (const id of toSend) void this.execute(id);
  }

  runAll(): void {
    this.run(this.store.getSnapshot().cells.filter((c) => c.type === 'code').map((c) => c.id));
  }

  runFrom(cellId: string): void {
    const cells = this.store.getSnapshot().cells;
    const from = cells.findIndex((c) => c.id === cellId);
    if (from >= 0) this.run(cells.slice(from).filter((c) => c.type === 'code').map((c) => c.id));
  }

  /**
   * Stops the running cell at its next await, and the kernel aborts the cells queued behind it; a cell stuck in
   * synchronous code gets the not-responding notice.
   */
  async interrupt(): Promise<'ok' | 'unresponsive'> {
    if (!this.client) return 'ok';
    const result = await this.client.interrupt();
    if (result === 'unresponsive') {
      this.set({ notice: { kind: 'unresponsive', text: 'A cell seems stuck in code that never awaits, so Interrupt cannot reach it. Restarting the kernel stops it: your edits are kept, variables are lost.' } });
    }
    return result;
  }

  async restart(): Promise<void> {
    this.epoch++;
    this.restarting = true;
    this.store.dispatch({ type: 'clearExecutionCounts' });
    const finished = { ...this.view.finished };
    for (const id of Object.keys(this.view.runs)) finished[id] = (finished[id] ?? 0) + 1;
    this.set({ runs: {}, finished, notice: null, deviceLost: null, state: 'restarting', usage: null });
    if (!this.client) this.start();
    try {
      await this.client!.restart();
      this.restarting = false;
      this.set({ state: this.client!.state === 'dead' ? 'dead' : 'idle', notice: { kind: 'restarted', text: 'All variables were cleared; run the cells again to rebuild them.' } });
      if (this.view.kernels !== 'convlab') void this.setKernels(this.view.kernels);
    } catch (err) {
      this.restarting = false;
      this.set({ state: 'dead', notice: { kind: 'error', text: `The kernel could not restart: ${(err as Error).message}` } });
    }
  }

  async setKernels(choice: KernelsChoice): Promise<void> {
    this.set({ kernels: choice });
    this.start();
    try {
      const reply = await this.client!.setOption('kernels', choice);
      if (reply.error) this.set({ notice: { kind: 'error', text: `Could not switch to ${choice === 'stock' ? 'stock' : 'our'} kernels: ${reply.error}` } });
    } catch (err) {
      if (!(err instanceof KernelDeadError)) this.set({ notice: { kind: 'error', text: (err as Error).message } });
    }
  }

  dismissNotice(): void {
    this.set({ notice: null });
  }

  /**
   * The learner went to another page: a notice about something done on the page they left ("Kernel restarted",
   * a note) stays there. A stuck, dead or failing kernel is news on every page, so those notices stay.
   */
  leftPage(): void {
    if (this.view.notice && (this.view.notice.kind === 'restarted' || this.view.notice.kind === 'info')) this.set({ notice: null });
  }

  /** One cell's request, from the kernel's queue to its reply. */
  private async execute(id: string): Promise<void> {
    const cell = this.store.cell(id);
    if (!cell || !this.client) return this.clearRun(id);
    const epoch = this.epoch;
    const label = `Cell ${this.store.indexOf(id) + 1}`;
    // Old outputs stay until the new run says something: a run the kernel aborts leaves them as they were.
    let cleared = false;
    const clear = () => {
      if (cleared || epoch !== this.epoch) return;
      cleared = true;
      this.store.dispatch({ type: 'setOutputs', cellId: id, outputs: [] });
    };
    try {
      const reply = await this.client.execute(cell.source, {
        cellLabel: label,
        onStart: () => {
          if (epoch === this.epoch) this.set({ runs: { ...this.view.runs, [id]: 'running' } });
        },
        onOutput: (o) => {
          clear();
          this.onOutput(id, o);
        },
      });
      if (epoch !== this.epoch) return;
      if (reply.status !== 'aborted') clear();
      if (reply.execution_count !== null) this.store.dispatch({ type: 'setExecutionCount', cellId: id, count: reply.execution_count });
    } catch (err) {
      if (epoch !== this.epoch) return; // a restart ended it and has counted it already
      clear();
      const text = err instanceof KernelDeadError ? err.message : `Could not run ${label}: ${(err as Error).message}`;
      this.store.dispatch({ type: 'appendOutput', cellId: id, output: { output_type: 'error', ename: 'KernelError', evalue: text, traceback: [] } });
    }
    this.clearRun(id);
  }

  private clearRun(id: string): void {
    const runs = { ...this.view.runs };
    delete runs[id];
    this.set({ runs, finished: { ...this.view.finished, [id]: (this.view.finished[id] ?? 0) + 1 } });
  }

  private onOutput(cellId: string, output: CellOutput): void {
    if (output.msg_type === 'update_display_data') {
      this.store.dispatch({ type: 'updateDisplay', displayId: output.content.transient.display_id, data: output.content.data, metadata: output.content.metadata });
      return;
    }
    this.store.dispatch({ type: 'appendOutput', cellId, output: storedOutput(output) });
    if (output.msg_type === 'execute_result') this.store.dispatch({ type: 'setExecutionCount', cellId, count: output.content.execution_count });
  }

  private readonly onEvent = (event: KernelEvent): void => {
    switch (event.type) {
      case 'ready':
        this.restarting = false;
        this.set({ info: event.info });
        return;
      case 'status':
        this.set({ state: this.restarting ? 'restarting' : event.state });
        return;
      case 'resources':
        this.set({ usage: event.usage });
        return;
      case 'device_lost':
        this.set({ deviceLost: { reason: event.reason, message: event.message } });
        return;
      case 'restarted':
        return;
      case 'stream':
        this.log(event.text);
        return;
      case 'worker_error':
        this.log(event.message + '\n');
        if (this.client?.state === 'dead') this.set({ state: 'dead', notice: { kind: 'error', text: `The kernel failed to start: ${event.message}` } });
        return;
    }
  };

  private log(text: string): void {
    this.set({ log: [...this.view.log, text].slice(-LOG_KEPT) });
  }

  private set(patch: Partial<KernelView>): void {
    this.view = { ...this.view, ...patch };
    for (const l of this.listeners) l();
  }
}
