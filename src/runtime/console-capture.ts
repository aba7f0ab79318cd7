// Sends console output from cells (and from the libraries they call) to the notebook as stream messages.
import { formatLogArgs, inspect } from './inspect';

export type StreamSink = (name: 'stdout' | 'stderr', text: string) => void;

const STDOUT = ['log', 'info', 'debug'] as const;
const STDERR = ['warn', 'error'] as const;

/** Replaces the console's printing methods; returns a function that puts the originals back. */
export function installConsoleCapture(target: Console, sink: StreamSink): () => void {
  const saved = new Map<string, unknown>();
  const patch = (method: string, fn: (...args: unknown[]) => void): void => {
    saved.set(method, (target as unknown as Record<string, unknown>)[method]);
    (target as unknown as Record<string, unknown>)[method] = fn;
  };
  for (const m of STDOUT) patch(m, (...args) => sink('stdout', formatLogArgs(args) + '\n'));
  for (const m of STDERR) patch(m, (...args) => sink('stderr', formatLogArgs(args) + '\n'));
  patch('table', (data: unknown) => sink('stdout', inspect(data) + '\n'));
  patch('dir', (data: unknown) => sink('stdout', inspect(data, { depth: 4 }) + '\n'));
  patch('trace', (...args) => {
    const stack = new Error().stack?.split('\n').slice(2).join('\n') ?? '';
    sink('stderr', `Trace: ${formatLogArgs(args)}\n${stack}\n`);
  });
  return () => {
    for (const [m, fn] of saved) (target as unknown as Record<string, unknown>)[m] = fn;
  };
}
