import { stripAnsi } from './mime';

export function StreamOutput({ name, text }: { name: 'stdout' | 'stderr'; text: string }) {
  return <pre className={`output-stream output-${name}`}>{stripAnsi(text)}</pre>;
}
