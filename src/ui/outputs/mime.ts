// Which MIME type of a bundle the page shows: the richest one it knows, as Jupyter front ends do.
export const MIME_PRIORITY = [
  'application/vnd.convlab.tensor+json',
  'application/vnd.convlab.table+json',
  'application/vnd.convlab.plot+json',
  'application/vnd.convlab.progress+json',
  'application/vnd.convlab.download+json',
  'application/vnd.convlab.image-grid+json',
  'application/vnd.convlab.shape-plot+json',
  'application/vnd.convlab.graph+json',
  'application/vnd.convlab.feature-maps+json',
  'application/vnd.convlab.heatmap+json',
  'image/png',
  'text/html',
  'text/markdown',
  'application/json',
  'text/plain',
] as const;

export type KnownMime = (typeof MIME_PRIORITY)[number];

export function pickMime(data: Record<string, unknown>): KnownMime | null {
  for (const mime of MIME_PRIORITY) if (data[mime] !== undefined && data[mime] !== null) return mime;
  return null;
}

/** ipynb stores text as one string or a list of lines; either way the page wants one string. */
export function asText(value: unknown): string {
  if (Array.isArray(value)) return value.join('');
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

/** Strips ANSI colour codes (Jupyter tracebacks imported from Python kernels carry them). */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
}
