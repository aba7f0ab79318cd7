// Page-side orchestration of the kernel: owns the RuntimeClient, sends each cell run to the kernel as the learner
// asks for it, routes outputs into the notebook store, and keeps the state the toolbar, status bar and banners
// show. The run queue itself is the kernel's (src/runtime/session.ts), as in Jupyter: a cell is 'queued' here from
// the moment its request is sent until the kernel says it is busy with it, and the kernel's stop-on-error and
// interrupt abort what waits behind. No React here: components read it through useSyncExternalStore.
import { RuntimeClient, KernelDeadError, type CellOutput, type KernelEvent } from './runtime-client';
import type { KernelReady, MemoryInfo, ShapeHint } from '../../protocol';
import type { NotebookStore } from './notebook-store';
import { storedOutput } from './outputs';

export type KernelDisplayState = 'not started' | 'starting' | 'idle' | 'busy' | 'restarting' | 'dead';
export type CellRunState = 'queued' | 'running';
export type KernelsChoice = 'convlab' | 'stock';

export interface Notice {
  kind: 'unresponsive' | 'restarted' | 'error' | 'info';
  text: string;
  /** A notice about a passing condition goes away by itself when it passes: the kernel answers again, the cell ends. */
  until?: 'kernel answers' | 'cell ends';
}

/** After Interrupt, how long a cell may take to stop before the page says it has not. */
export const INTERRUPT_STALL_MS = 3000;

/** What a cell's last run said about lines of the source it ran: shape hints, and where its error was thrown. */
export interface RunLineNotes {
  /** The source that ran: the lines below refer to it, and hold only while the editor's lines still read the same. */
  source: string;
  hints: ShapeHint[];
  error?: { line: number; column?: number; message: string };
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
  /** By cell id, for the editor's shape hints and error marker; cleared when the cell runs again. */
  lineNotes: Readonly<Record<string, RunLineNotes>>;
  /** False while the kernel's heartbeat does not come back: its worker died, or is stuck in code that never yields. */
  responding: boolean;
}

const LOG_KEPT = 50;

export class RunController {
  private client: RuntimeClient | null = null;
  private view: KernelView = { state: 'not started', info: null, usage: null, deviceLost: null, notice: null, kernels: 'convlab', runs: {}, finished: {}, log: [], lineNotes: {}, responding: true };
  private readonly listeners = new Set<() => void>();
  /** Bumped by restart: runs sent to an older kernel stop touching the view. */
  private epoch = 0;
  private restarting = false;
  /** Set once the first kernel of this page was ready: later ones come from Restart. */
  private sawFirstKernel = false;

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
    const epoch = this.epoch;
    const result = await this.client.interrupt();
    if (result === 'unresponsive') {
      this.set({ notice: { kind: 'unresponsive', text: 'A cell seems stuck in code that never awaits, so Interrupt cannot reach it. Restarting the kernel stops it: your edits are kept, variables are lost.' } });
    } else {
      // The kernel heard it, but a cell awaiting a promise that never settles (or one very long step) does not stop.
      setTimeout(() => this.noticeStalledInterrupt(epoch), INTERRUPT_STALL_MS);
    }
    return result;
  }

  private noticeStalledInterrupt(epoch: number): void {
    const running = Object.entries(this.view.runs).find(([, state]) => state === 'running');
    if (epoch !== this.epoch || !running || this.view.notice) return;
    const label = `Cell ${this.store.indexOf(running[0]) + 1}`;
    this.set({
      notice: {
        kind: 'unresponsive',
        text: `${label} has not stopped ${INTERRUPT_STALL_MS / 1000} s after Interrupt: it waits for something that has not come (one long step, or a promise that never settles). Wait for it, or restart the kernel: your edits are kept, variables are lost.`,
        until: 'cell ends',
      },
    });
  }

  async restart(): Promise<void> {
    this.epoch++;
    this.restarting = true;
    this.store.dispatch({ type: 'clearExecutionCounts' });
    const finished = { ...this.view.finished };
    for (const id of Object.keys(this.view.runs)) finished[id] = (finished[id] ?? 0) + 1;
    this.set({ runs: {}, finished, notice: null, deviceLost: null, state: 'restarting', usage: null, responding: true });
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
    let error: RunLineNotes['error'];
    try {
      const reply = await this.client.execute(cell.source, {
        cellLabel: label,
        cellId: id,
        onStart: () => {
          if (epoch === this.epoch) this.set({ runs: { ...this.view.runs, [id]: 'running' } });
          if (epoch === this.epoch) this.setLineNotes(id, undefined);
        },
        onOutput: (o) => {
          clear();
          this.onOutput(id, o);
          if (o.msg_type === 'error' && o.content.line) error = { line: o.content.line, column: o.content.column, message: `${o.content.ename}: ${o.content.evalue}` };
        },
      });
      if (epoch !== this.epoch) return;
      if (reply.status !== 'aborted') clear();
      if (reply.status !== 'aborted' && (reply.shape_hints?.length || error)) this.setLineNotes(id, { source: cell.source, hints: reply.shape_hints ?? [], error });
      if (reply.execution_count !== null) this.store.dispatch({ type: 'setExecutionCount', cellId: id, count: reply.execution_count });
    } catch (err) {
      if (epoch !== this.epoch) return; // a restart ended it and has counted it already
      clear();
      const text = err instanceof KernelDeadError ? err.message : `Could not run ${label}: ${(err as Error).message}`;
      this.store.dispatch({ type: 'appendOutput', cellId: id, output: { output_type: 'error', ename: 'KernelError', evalue: text, traceback: [] } });
    }
    this.clearRun(id);
  }

  private setLineNotes(id: string, notes: RunLineNotes | undefined): void {
    if (!notes && !(id in this.view.lineNotes)) return;
    const lineNotes = { ...this.view.lineNotes };
    if (notes) lineNotes[id] = notes;
    else delete lineNotes[id];
    this.set({ lineNotes });
  }

  private clearRun(id: string): void {
    const runs = { ...this.view.runs };
    delete runs[id];
    const stalledNotice = this.view.notice?.until === 'cell ends' && !Object.values(runs).includes('running');
    this.set({ runs, finished: { ...this.view.finished, [id]: (this.view.finished[id] ?? 0) + 1 }, ...(stalledNotice ? { notice: null } : {}) });
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
        if (!this.sawFirstKernel) this.noticeFreshKernel();
        this.sawFirstKernel = true;
        return;
      case 'responding':
        this.onResponding(event.responding);
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

  /**
   * The heartbeat lapsed or came back. With a cell running, the status says so and Interrupt leads to Restart as for
   * any stuck cell; with none running there is no cell to blame (the worker crashed, was closed, or a timer a cell
   * left behind never yields), so the page says so at once and offers Restart. Cells waiting in the queue stay
   * queued until the kernel answers again or Restart takes them off.
   */
  private onResponding(responding: boolean): void {
    if (responding) {
      this.set({ responding, ...(this.view.notice?.until === 'kernel answers' ? { notice: null } : {}) });
      return;
    }
    const cellRunning = Object.values(this.view.runs).includes('running');
    if (cellRunning || this.restarting || this.view.notice?.kind === 'unresponsive') {
      this.set({ responding });
      return;
    }
    this.set({
      responding,
      notice: {
        kind: 'unresponsive',
        text: 'The kernel stopped answering while no cell was running: its worker crashed or was closed, or a timer a cell left behind is stuck in code that never yields. Restart the kernel to go on: your edits are kept, variables are lost.',
        until: 'kernel answers',
      },
    });
  }

  /** A page (re)loaded over a notebook that ran before: its outputs come from a kernel that is gone. */
  private noticeFreshKernel(): void {
    if (this.view.notice || !this.store.getSnapshot().cells.some((c) => c.executionCount !== null)) return;
    this.set({
      notice: {
        kind: 'info',
        text: 'A fresh kernel started with this page: nothing from before the page was loaded is defined any more, and the outputs below come from then. Run the cells again to rebuild them.',
      },
    });
  }

  private log(text: string): void {
    this.set({ log: [...this.view.log, text].slice(-LOG_KEPT) });
  }

  private set(patch: Partial<KernelView>): void {
    this.view = { ...this.view, ...patch };
    for (const l of this.listeners) l();
  }
}
