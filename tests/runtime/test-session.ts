// A KernelSession for unit tests, wired as the worker wires it: console output goes to the session of the test that
// runs, and every message it posts is kept and wakes whoever waits for the next one.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll } from 'vitest';
import { KernelSession } from '../../src/runtime/session';
import { initBackend } from '../../src/runtime/backend';
import { loadLibraries } from '../../src/runtime/builtins';
import { installConsoleCapture } from '../../src/runtime/console-capture';
import type { BackendName, KernelToPage } from '../../src/protocol';

let active: KernelSession | null = null;

/** Call at a test file's top level: console.log in a cell reaches the active session, as in the worker. */
export function captureConsole(): void {
  let uninstall: () => void = () => {};
  beforeAll(() => {
    uninstall = installConsoleCapture(console, (name, text) => active?.stream(name, text));
  });
  afterAll(() => uninstall());
}

export function testSession(libraries: Parameters<typeof loadLibraries>[0], order: BackendName[]) {
  const sent: KernelToPage[] = [];
  const waiters: Array<() => void> = [];
  const session = new KernelSession({
    post: (m) => {
      sent.push(m);
      for (const w of waiters.splice(0)) w();
    },
    tf: tf as never,
    tfjsVersion: tf.version.tfjs,
    initBackend: () => initBackend(tf, { order, gpu: undefined }),
    loadLibraries: () => loadLibraries(libraries),
  });
  active = session;
  /** Resolves when the session posts its next message. */
  const nextMessage = () => new Promise<void>((r) => waiters.push(r));
  return { session, sent, nextMessage };
}
