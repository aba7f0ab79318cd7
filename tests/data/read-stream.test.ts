import { describe, expect, it } from 'vitest';
import { readStream } from '../../src/data/read-stream';

function streamOf(chunks: number[][]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(Uint8Array.from(c));
      controller.close();
    },
  });
}

describe('readStream', () => {
  it('joins the chunks in order and reports the running byte count after each', async () => {
    const seen: number[] = [];
    const bytes = await readStream(streamOf([[1, 2], [3], [4, 5, 6]]), (n) => seen.push(n));
    expect([...bytes]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seen).toEqual([2, 3, 6]);
  });

  it('reads an empty stream as no bytes', async () => {
    expect((await readStream(streamOf([]))).byteLength).toBe(0);
  });
});
