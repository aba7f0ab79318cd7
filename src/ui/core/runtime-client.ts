// Page side of the kernel: wraps the worker, matches replies to requests, and survives a worker that
// hangs (restart terminates it) or dies (its error events are reported, not swallowed).
// No tfjs and no React here: the UI imports only this file and protocol.ts.
import type {
  KernelHandshake,
  DeviceLost,
  ExecuteReply,
  ExecutionState,
  KernelReady,
  KernelToPage,
  MemoryInfo,
  OptionReply,
  OptionRequest,
  OutputMessage,
  PageToKernel,
  UpdateDisplayData,
} from '../../protocol';
import { Heartbeat, type HeartbeatPort } from './heartbeat';

/** What execute() hands to onOutput: everything that belongs in the cell's output area. */
export type CellOutput = OutputMessage | UpdateDisplayData;

export interface ExecuteOptions {
  /** Name used in tracebacks, e.g. "Cell 3". */
  cellLabel?: string;
  /** The notebook's id of the cell, so the kernel's views can point back at the cell that made a model. */
  cellId?: string;
  /** Neither counts nor shows a result (for setup code the UI runs itself). */
  silent?: boolean;
  onOutput?: (output: CellOutput) => void;
  /** The kernel took the request from its queue (status busy for it): the cell is running now. */
  onStart?: () => void;
}

export type KernelEvent =
  | { type: 'ready'; info: KernelReady['content'] }
  | { type: 'status'; state: ExecutionState }
  | { type: 'resources'; usage: MemoryInfo }
  | { type: 'device_lost'; reason: string; message: string }
  /** The worker was replaced; everything in the old one (scope, tensors) is gone. */
  | { type: 'restarted' }
  /** Output that belongs to no cell (startup notes such as a library that failed to load). */
  | { type: 'stream'; name: 'stdout' | 'stderr'; text: string }
  /** The worker reported an error outside any cell, or a message that could not be cloned. */
  | { type: 'worker_error'; message: string }
  /** The heartbeat stopped coming back (false: the worker died or is stuck in code that never yields) or came back. */
  | { type: 'responding'; responding: boolean };

export type KernelListener = (event: KernelEvent) => void;

/** Rejects execute() promises that a restart or a dead worker cut short. */
export class KernelDeadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KernelRestarted';
  }
}

/** The subset of Worker the client uses, so tests can hand it a fake. */
export interface WorkerLike {
  postMessage(message: PageToKernel): void;
  /** The heartbeat channel; without one (test fakes) a dead worker is noticed only by its error events. */
  heartbeat?: HeartbeatPort;
  terminate(): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<KernelToPage>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  addEventListener(type: 'messageerror', listener: (event: MessageEvent) => void): void;
}

export interface RuntimeClientOptions {
  createWorker?: () => WorkerLike;
  /** How long interrupt() waits for interrupt_reply before calling the kernel unresponsive. */
  interruptTimeoutMs?: number;
}

interface PendingExecute {
  resolve(reply: ExecuteReply['content']): void;
  reject(err: Error): void;
  onOutput?: (output: CellOutput) => void;
  onStart?: () => void;
}

/**
 * The kernel's worker, spoken to through a private MessageChannel: its port goes to the worker in the first message
 * and the kernel answers only on it, so a cell calling the worker's global postMessage() cannot reach the page's
 * handlers (src/runtime/worker.ts). Load and crash errors still come from the Worker object.
 */
function defaultWorker(): WorkerLike {
  performance.mark('kernel:worker-created');
  const worker = new Worker(new URL('../../runtime/worker.ts', import.meta.url), { type: 'module', name: 'convlab-kernel' });
  const { port1, port2 } = new MessageChannel();
  // A second channel for the heartbeat alone (heartbeat.ts), as Jupyter keeps its heartbeat apart from its messages.
  const beat = new MessageChannel();
  const handshake: KernelHandshake = { channel: 'convlab-kernel', settings: { quick: new URLSearchParams(location.search).has('quick') } };
  worker.postMessage(handshake, [port2, beat.port2]);
  port1.start();
  return {
    postMessage: (message) => port1.postMessage(message),
    terminate: () => {
      worker.terminate();
      port1.close();
      beat.port1.close();
    },
    heartbeat: {
      ping: (n) => beat.port1.postMessage(n),
      onPong: (listener) => {
        beat.port1.onmessage = () => listener();
      },
    },
    addEventListener: (type: 'message' | 'error' | 'messageerror', listener: EventListener) => {
      if (type === 'error') worker.addEventListener('error', listener);
      else port1.addEventListener(type, listener);
    },
  } as WorkerLike;
}

const FINISHED_KEPT = 200;
let idCounter = 0;
function newId(prefix: string): string {
  const random = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
  return `${prefix}-${++idCounter}-${random}`;
}

export class RuntimeClient {
  private worker: WorkerLike;
  private readonly createWorker: () => WorkerLike;
  private readonly interruptTimeoutMs: number;
  private readonly listeners = new Set<KernelListener>();
  private readonly executes = new Map<string, PendingExecute>();
  /** Output callbacks of finished requests, so output from work that outlived its cell still reaches it. */
  private readonly finished = new Map<string, (output: CellOutput) => void>();
  private readonly interrupts = new Map<string, () => void>();
  private readonly options = new Map<string, { resolve(r: OptionReply['content']): void; reject(e: Error): void }>();
  private readyInfo: KernelReady['content'] | null = null;
  private readyWaiters: Array<{ resolve(info: KernelReady['content']): void; reject(e: Error): void }> = [];
  private generation = 0;
  /** The current worker's heartbeat (none for test fakes without a heartbeat channel). */
  private heartbeat: Heartbeat | null = null;
  /** False while the heartbeat says the worker does not answer (dead, or stuck in code that never yields). */
  responding = true;
  /** Last execution state the kernel reported. */
  state: ExecutionState | 'dead' = 'starting';

  constructor(options: RuntimeClientOptions = {}) {
    this.createWorker = options.createWorker ?? defaultWorker;
    this.interruptTimeoutMs = options.interruptTimeoutMs ?? 2000;
    this.worker = this.spawn();
  }

  /** Subscribes to kernel events; returns the unsubscribe function. */
  on(listener: KernelListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the kernel's backend report once it is ready (at once if it already is). */
  ready(): Promise<KernelReady['content']> {
    if (this.readyInfo) return Promise.resolve(this.readyInfo);
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  get info(): KernelReady['content'] | null {
    return this.readyInfo;
  }

  /**
   * Runs code in the kernel. Outputs arrive through onOutput as they come; the promise resolves with the
   * execute_reply (status 'ok', 'error' or 'aborted'), and rejects with KernelDeadError when a restart or a
   * crashed worker ends the request.
   */
  execute(code: string, opts: ExecuteOptions = {}): Promise<ExecuteReply['content']> {
    const msg_id = newId('execute');
    return new Promise((resolve, reject) => {
      this.executes.set(msg_id, { resolve, reject, onOutput: opts.onOutput, onStart: opts.onStart });
      this.send({ msg_type: 'execute_request', msg_id, content: { code, cell_label: opts.cellLabel, silent: opts.silent, cell_id: opts.cellId } });
    });
  }

  /** Asks the running cell to stop at its next await: 'ok' when the kernel acknowledged, 'unresponsive' when it did not in time. */
  interrupt(): Promise<'ok' | 'unresponsive'> {
    const msg_id = newId('interrupt');
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.interrupts.delete(msg_id);
        resolve('unresponsive');
      }, this.interruptTimeoutMs);
      this.interrupts.set(msg_id, () => {
        clearTimeout(timer);
        resolve('ok');
      });
      this.send({ msg_type: 'interrupt_request', msg_id, content: {} });
    });
  }

  setOption(name: OptionRequest['content']['name'], value: OptionRequest['content']['value']): Promise<OptionReply['content']> {
    const msg_id = newId('option');
    return new Promise((resolve, reject) => {
      this.options.set(msg_id, { resolve, reject });
      this.send({ msg_type: 'option_request', msg_id, content: { name, value } });
    });
  }

  /**
   * Terminates the worker (the only way out of `while (true) {}`) and starts a fresh one. Pending requests fail
   * with "Kernel restarted". Resolves when the new kernel is ready.
   */
  restart(): Promise<KernelReady['content']> {
    this.heartbeat?.stop();
    this.worker.terminate();
    this.failAll('Kernel restarted');
    this.finished.clear();
    this.readyInfo = null;
    this.worker = this.spawn();
    this.setState('starting');
    this.emit({ type: 'restarted' });
    return this.ready();
  }

  /** Terminates the worker for good. */
  dispose(): void {
    this.heartbeat?.stop();
    this.worker.terminate();
    this.setState('dead');
    this.failAll('Kernel shut down');
    this.listeners.clear();
  }

  private spawn(): WorkerLike {
    const generation = ++this.generation;
    const worker = this.createWorker();
    // Events from a worker that a restart replaced are ignored.
    const current = (): boolean => generation === this.generation;
    worker.addEventListener('message', (event) => {
      if (current()) this.handle(event.data);
    });
    worker.addEventListener('error', (event) => {
      if (!current()) return;
      event.preventDefault?.();
      const message = event.message || 'the kernel worker failed to load or crashed';
      this.emit({ type: 'worker_error', message });
      // Before kernel_ready an error means the worker never started: nothing will answer, so fail now.
      if (!this.readyInfo) {
        this.setState('dead');
        this.failAll(`Kernel failed to start: ${message}`);
      }
    });
    worker.addEventListener('messageerror', () => {
      if (current()) this.emit({ type: 'worker_error', message: 'A message from the kernel could not be deserialised' });
    });
    this.responding = true;
    this.heartbeat = worker.heartbeat
      ? new Heartbeat(worker.heartbeat, (responding) => {
          if (!current()) return;
          this.responding = responding;
          this.emit({ type: 'responding', responding });
        })
      : null;
    return worker;
  }

  private send(message: PageToKernel): void {
    try {
      this.worker.postMessage(message);
    } catch (err) {
      const text = `Could not send ${message.msg_type} to the kernel: ${(err as Error).message}`;
      this.emit({ type: 'worker_error', message: text });
      const pending = this.executes.get(message.msg_id);
      if (pending) {
        this.executes.delete(message.msg_id);
        pending.reject(new Error(text));
      }
      const option = this.options.get(message.msg_id);
      if (option) {
        this.options.delete(message.msg_id);
        option.reject(new Error(text));
      }
    }
  }

  private handle(message: KernelToPage): void {
    switch (message.msg_type) {
      case 'kernel_ready':
        this.readyInfo = message.content;
        this.heartbeat?.start();
        for (const w of this.readyWaiters.splice(0)) w.resolve(message.content);
        this.emit({ type: 'ready', info: message.content });
        return;
      case 'status':
        if (message.content.execution_state === 'busy' && message.parent_id) this.executes.get(message.parent_id)?.onStart?.();
        this.setState(message.content.execution_state);
        return;
      case 'resource_usage':
        this.emit({ type: 'resources', usage: message.content });
        return;
      case 'device_lost':
        this.emit({ type: 'device_lost', ...(message as DeviceLost).content });
        return;
      case 'interrupt_reply': {
        const done = message.parent_id ? this.interrupts.get(message.parent_id) : undefined;
        if (done && message.parent_id) {
          this.interrupts.delete(message.parent_id);
          done();
        }
        return;
      }
      case 'option_reply': {
        const waiter = message.parent_id ? this.options.get(message.parent_id) : undefined;
        if (waiter && message.parent_id) {
          this.options.delete(message.parent_id);
          waiter.resolve(message.content);
        }
        return;
      }
      case 'execute_reply': {
        const pending = message.parent_id ? this.executes.get(message.parent_id) : undefined;
        if (pending && message.parent_id) {
          this.executes.delete(message.parent_id);
          if (pending.onOutput) {
            this.finished.set(message.parent_id, pending.onOutput);
            if (this.finished.size > FINISHED_KEPT) this.finished.delete(this.finished.keys().next().value as string);
          }
          pending.resolve(message.content);
        }
        return;
      }
      case 'stream':
      case 'display_data':
      case 'update_display_data':
      case 'execute_result':
      case 'error': {
        const id = message.parent_id;
        const pending = id ? this.executes.get(id) : undefined;
        if (pending) {
          pending.onOutput?.(message);
          return;
        }
        const late = id ? this.finished.get(id) : undefined;
        if (late) {
          late(message);
          return;
        }
        if (message.msg_type === 'stream') this.emit({ type: 'stream', name: message.content.name, text: message.content.text });
        return;
      }
    }
  }

  private failAll(reason: string): void {
    const err = new KernelDeadError(reason);
    for (const p of this.executes.values()) p.reject(err);
    this.executes.clear();
    for (const o of this.options.values()) o.reject(err);
    this.options.clear();
    // Waiters for readiness carry over to the next worker, unless there will be none.
    if (this.state === 'dead') for (const w of this.readyWaiters.splice(0)) w.reject(err);
    for (const done of this.interrupts.values()) done();
    this.interrupts.clear();
  }

  private setState(state: ExecutionState | 'dead'): void {
    this.state = state;
    if (state !== 'dead') this.emit({ type: 'status', state });
  }

  private emit(event: KernelEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (err) {
        console.error('Kernel event listener failed', err);
      }
    }
  }
}
