// The kernel's dedicated module worker: owns TensorFlow.js, the notebook scope and every running cell.
// Everything it does lives in KernelSession; this file only wires it to the worker's global scope.
import * as tf from '@tensorflow/tfjs';
import type { KernelHandshake, KernelToPage, PageToKernel } from '../protocol';
import { setKernelSettings } from './kernel-settings';
import { KernelSession } from './session';
import { initBackend, installKernelLayer, watchDeviceLost, type KernelLayer } from './backend';
import { defaultLibraryLoaders, loadLibraries } from './builtins';
import { installConsoleCapture } from './console-capture';
import { guardGpuDevice } from './gpu-guard';
import { limitStreams } from './output-limits';

// The project compiles against the DOM lib (the webworker lib would clash with it), so the worker's
// global scope is described here by the little that this file uses.
interface WorkerScope {
  onmessage: ((event: MessageEvent) => void) | null;
  addEventListener(type: 'unhandledrejection', listener: (event: PromiseRejectionEvent) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
}

const worker = self as unknown as WorkerScope;
// Start-up milestones for scripts/bench-startup.mjs (User Timing marks cost nothing when nobody reads them).
performance.mark('kernel:modules-loaded');

// The kernel speaks to the page only through a MessagePort the page hands over in its first message, kept in this
// module where cell code cannot reach it. A cell that calls the worker's global postMessage() reaches a page that
// no longer listens there: it cannot impersonate the kernel (forged status, outputs, banners, or null).
let channel: MessagePort | null = null;
const beforeChannel: KernelToPage[] = [];

function send(message: KernelToPage): void {
  if (channel) channel.postMessage(message);
  else beforeChannel.push(message);
}

function post(message: KernelToPage): void {
  try {
    send(message);
  } catch (err) {
    // A bundle that cannot be cloned (a function in display data, say) must not kill the kernel.
    send({
      msg_type: 'stream',
      parent_id: message.parent_id,
      content: { name: 'stderr', text: `Could not send ${message.msg_type}: ${(err as Error).message}\n` },
    } satisfies KernelToPage);
  }
}

const session = new KernelSession({
  // Prints coalesced, cut into bounded messages and capped per run (issue 15, case 13).
  post: limitStreams(post),
  tf: tf as unknown as ConstructorParameters<typeof KernelSession>[0]['tf'],
  tfjsVersion: tf.version.tfjs,
  async initBackend() {
    const choice = await initBackend(tf);
    watchDeviceLost(choice.device, (reason, message) => session.reportDeviceLost(reason, message));
    // Buffers over the device's limits fail with an error on the cell's line; other GPU errors are printed.
    guardGpuDevice(choice.device, (text) => session.stream('stderr', text));
    // Our kernels by default on WebGPU (cells switch with kernels.use('stock'), the UI with its toggle);
    // the same module instance the cells get as `kernels`, so kernels.mode() reports what is installed.
    const load = defaultLibraryLoaders().kernels as (() => Promise<KernelLayer>) | undefined;
    const note = await installKernelLayer(choice.backend, load);
    if (note) session.stream('stderr', note + '\n');
    return choice;
  },
  loadLibraries: () => loadLibraries(),
});

// A cell runs in this worker's global scope, where close() (and self.close()) would end the kernel without a word
// to the page: the status would stay idle and every later cell would wait forever. Cells get an error instead.
Object.defineProperty(self, 'close', {
  value: () => {
    throw new Error('close() would stop the notebook kernel for good, silently. To start over, use Restart kernel.');
  },
  writable: false,
  configurable: false,
});

// Set before any await, so the page's channel (and the requests it queues on it) arrive while the backend starts.
worker.onmessage = (event: MessageEvent) => {
  const port = event.ports[0];
  if (channel || !port) return; // only the page's first message opens the channel; nothing else is the page
  channel = port;
  setKernelSettings((event.data as Partial<KernelHandshake> | null)?.settings);
  channel.onmessage = (e: MessageEvent<PageToKernel>) => session.receive(e.data);
  // Jupyter's heartbeat: the page's pings come back at once whenever this worker's event loop turns, so the page
  // learns within a second or two that the worker died or is stuck, with no cell to blame (runtime-client.ts).
  const heartbeat = event.ports[1];
  if (heartbeat) heartbeat.onmessage = (e: MessageEvent) => heartbeat.postMessage(e.data);
  for (const message of beforeChannel.splice(0)) channel.postMessage(message);
};

installConsoleCapture(console, (name, text) => session.stream(name, text));

worker.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => {
  event.preventDefault();
  session.reportUncaught('rejection', event.reason);
});
worker.addEventListener('error', (event: ErrorEvent) => {
  // Handled here, the error does not reach the page's worker.onerror and the kernel stays alive.
  event.preventDefault();
  session.reportUncaught('error', event.error ?? event.message);
});

void session.start();
