// A kernel worker for page-side tests: records what the page sends, and lets a test answer as the kernel would.
import type { WorkerLike } from '../../../src/ui/core/runtime-client';
import type { ExecuteRequest, KernelToPage, PageToKernel } from '../../../src/protocol';

export class FakeWorker implements WorkerLike {
  readonly received: PageToKernel[] = [];
  private readonly listeners = new Map<string, Array<(e: never) => void>>();
  postMessage(message: PageToKernel): void {
    this.received.push(message);
  }
  terminate(): void {}
  addEventListener(type: string, listener: (e: never) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  reply(message: KernelToPage): void {
    for (const l of this.listeners.get('message') ?? []) l({ data: message } as never);
  }
  executes(): ExecuteRequest[] {
    return this.received.filter((m): m is ExecuteRequest => m.msg_type === 'execute_request');
  }
}
