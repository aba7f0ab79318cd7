// PNG for sample grids, through fast-png (pure JavaScript, so it runs in the kernel worker and in Node tests).
// It has to be synchronous: toMimeBundle() is, and OffscreenCanvas only encodes asynchronously (convertToBlob).
import { encode } from 'fast-png';

/** Encodes 8-bit grey (channels 1) or RGB (channels 3) pixels, row-major, as a PNG file. */
export function encodePng(pixels: Uint8Array, width: number, height: number, channels: 1 | 3): Uint8Array {
  if (pixels.length !== width * height * channels) throw new Error(`encodePng: expected ${width * height * channels} bytes, got ${pixels.length}`);
  return encode({ width, height, data: pixels, depth: 8, channels });
}

/** base64 without the data: prefix, as ipynb and the download view store bytes. Chunked: spreading a
 * whole file into String.fromCharCode overflows the call stack. */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
