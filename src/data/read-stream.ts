// Reads a byte stream to its end (a fetch body, a DecompressionStream), reporting progress as it goes.

/** All the stream's bytes in one array; `onBytes` gets the running total after every chunk. */
export async function readStream(stream: ReadableStream<Uint8Array>, onBytes?: (n: number) => void): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.byteLength;
    onBytes?.(total);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
