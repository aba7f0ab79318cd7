// gzip decoding with the platform's DecompressionStream (browsers, workers and Node ≥ 18 all have it),
// so no inflate code ships in the bundle.
import { readStream } from './read-stream';

export class GunzipError extends Error {
  constructor(readonly file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.name = 'GunzipError';
  }
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses a whole .gz file. A truncated or corrupted file rejects with a GunzipError naming it:
 * the platform's own message ("incorrect header check", "unexpected end of file") does not.
 */
export async function gunzip(bytes: Uint8Array, file: string, onBytes?: (decodedBytes: number) => void): Promise<Uint8Array> {
  if (!isGzip(bytes)) throw new GunzipError(file, `not a gzip file (starts with 0x${Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join('')})`);
  const source = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();
  try {
    return await readStream(source.pipeThrough(new DecompressionStream('gzip')) as ReadableStream<Uint8Array>, onBytes);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new GunzipError(file, `the gzip data is truncated or corrupted (${why}); delete the file and download it again`);
  }
}
