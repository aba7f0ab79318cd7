// The IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): a 4-byte magic
// (0x00000803 for 3-D unsigned-byte images, 0x00000801 for 1-D unsigned-byte labels), then one
// big-endian uint32 per dimension, then the bytes. Every check names the file, because a learner
// who sees "bad magic" needs to know which of the four downloads to delete.

export type IdxProblem = 'truncated' | 'magic' | 'dims' | 'count-mismatch' | 'label-range';

export class IdxError extends Error {
  constructor(
    readonly file: string,
    readonly problem: IdxProblem,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'IdxError';
  }
}

export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;

export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  /** count × rows × cols bytes, row-major; a view into the input buffer. */
  pixels: Uint8Array;
}

export interface IdxLabels {
  count: number;
  labels: Uint8Array;
}

function header(bytes: Uint8Array, file: string, expectedMagic: number, dims: number): { view: DataView; sizes: number[] } {
  const headerBytes = 4 + 4 * dims;
  if (bytes.byteLength < 4) {
    throw new IdxError(file, 'truncated', `truncated: ${bytes.byteLength} bytes, not even the 4-byte IDX magic number`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  // The low byte of the magic is the number of dimensions; the third byte is the element type (8 = unsigned byte).
  if (magic >>> 8 !== 0x08) {
    throw new IdxError(file, 'magic', `wrong magic number 0x${magic.toString(16).padStart(8, '0')}: expected 0x${expectedMagic.toString(16).padStart(8, '0')} (is this an IDX file?)`);
  }
  if ((magic & 0xff) !== dims) {
    throw new IdxError(file, 'dims', `has ${magic & 0xff} dimensions, expected ${dims} (magic 0x${expectedMagic.toString(16).padStart(8, '0')})`);
  }
  if (bytes.byteLength < headerBytes) {
    throw new IdxError(file, 'truncated', `truncated: ${bytes.byteLength} bytes, the header alone needs ${headerBytes}`);
  }
  const sizes: number[] = [];
  for (let d = 0; d < dims; d++) sizes.push(view.getUint32(4 + 4 * d, false));
  const body = sizes.reduce((a, b) => a * b, 1);
  if (bytes.byteLength < headerBytes + body) {
    throw new IdxError(file, 'truncated', `truncated: header promises ${sizes.join('×')} = ${body} bytes of data but only ${bytes.byteLength - headerBytes} follow`);
  }
  return { view, sizes };
}

/** Parses an images file; `expectRows/expectCols` guard against feeding e.g. CIFAR or a resized set. */
export function parseIdxImages(bytes: Uint8Array, file: string, expect: { rows: number; cols: number } = { rows: 28, cols: 28 }): IdxImages {
  const { sizes } = header(bytes, file, IDX_IMAGES_MAGIC, 3);
  const [count, rows, cols] = sizes;
  if (rows !== expect.rows || cols !== expect.cols) {
    throw new IdxError(file, 'dims', `images are ${rows}×${cols}, expected ${expect.rows}×${expect.cols}`);
  }
  const start = 16;
  return { count, rows, cols, pixels: bytes.subarray(start, start + count * rows * cols) };
}

export function parseIdxLabels(bytes: Uint8Array, file: string, numClasses = 10): IdxLabels {
  const { sizes } = header(bytes, file, IDX_LABELS_MAGIC, 1);
  const [count] = sizes;
  const labels = bytes.subarray(8, 8 + count);
  for (let i = 0; i < count; i++) {
    if (labels[i] >= numClasses) {
      throw new IdxError(file, 'label-range', `label ${labels[i]} at index ${i} is outside 0..${numClasses - 1}`);
    }
  }
  return { count, labels };
}

/** Images and labels must pair up one to one, or every batch would silently mislabel. */
export function checkPair(images: IdxImages, labels: IdxLabels, imagesFile: string, labelsFile: string): void {
  if (images.count !== labels.count) {
    throw new IdxError(labelsFile, 'count-mismatch', `has ${labels.count} labels but ${imagesFile} has ${images.count} images`);
  }
}

/** Writes IDX bytes; used by tests and the fixture generator, and handy for exporting a subset. */
export function encodeIdx(magic: number, sizes: number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * sizes.length + data.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic, false);
  sizes.forEach((s, i) => view.setUint32(4 + 4 * i, s, false));
  out.set(data, 4 + 4 * sizes.length);
  return out;
}
