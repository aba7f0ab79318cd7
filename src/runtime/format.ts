// Value → MimeBundle for results and display(): tensors as TensorView, objects with toMimeBundle()
// as they describe themselves, everything else as readable text.
//
// Formatting is split in two: whatever reads the value's current state happens at once (so that
// `display(arr); arr.push(1)` shows the array as it was), and only reading tensor data back from the
// GPU waits, on a clone that keeps the data alive even if the cell disposes the tensor meanwhile.
import type { MimeBundle, TensorView } from '../protocol';
import { inspect, isTensorLike, tensorSummary } from './inspect';

/** Above this many elements a tensor's values are not downloaded just to print a few corners. */
export const MAX_TENSOR_ELEMENTS_READ = 1 << 22;

export interface HasMimeBundle {
  toMimeBundle(): MimeBundle | Promise<MimeBundle>;
}

export function hasMimeBundle(v: unknown): v is HasMimeBundle {
  return !!v && (typeof v === 'object' || typeof v === 'function') && typeof (v as HasMimeBundle).toMimeBundle === 'function';
}

type TensorLike = Parameters<typeof tensorSummary>[0] & {
  clone(): TensorLike;
  data(): Promise<unknown>;
  dispose(): void;
};

/**
 * Starts formatting `value`. Returns undefined for "no output" (undefined), else a promise of the bundle
 * whose synchronous part has already run.
 */
export function prepareBundle(value: unknown): Promise<MimeBundle> | undefined {
  if (value === undefined) return undefined;
  if (hasMimeBundle(value)) {
    let produced: MimeBundle | Promise<MimeBundle>;
    try {
      produced = value.toMimeBundle();
    } catch (err) {
      return Promise.resolve(textBundle(`<toMimeBundle() threw: ${(err as Error)?.message ?? String(err)}>`));
    }
    return Promise.resolve(produced).then(
      (bundle) => withPlainText(bundle, value),
      (err: unknown) => textBundle(`<toMimeBundle() failed: ${(err as Error)?.message ?? String(err)}>`),
    );
  }
  if (isTensorLike(value)) return prepareTensor(value as TensorLike);
  return Promise.resolve(textBundle(inspect(value)));
}

/** Formats a value completely (both halves of prepareBundle). */
export async function formatValue(value: unknown): Promise<MimeBundle | undefined> {
  return prepareBundle(value);
}

function textBundle(text: string): MimeBundle {
  return { 'text/plain': text };
}

function withPlainText(bundle: MimeBundle, source: object): MimeBundle {
  if (!bundle || typeof bundle !== 'object') return textBundle(inspect(source));
  if (bundle['text/plain'] !== undefined) return bundle;
  const name = Object.getPrototypeOf(source)?.constructor?.name;
  return { ...bundle, 'text/plain': name && name !== 'Object' ? `<${name}>` : '<rich output>' };
}

function prepareTensor(t: TensorLike): Promise<MimeBundle> {
  if (t.isDisposed) return Promise.resolve(textBundle(tensorSummary(t)));
  const view = (values: string): MimeBundle => {
    const tensorView: TensorView = { shape: [...t.shape], dtype: t.dtype, size: t.size, values };
    return { 'application/vnd.convlab.tensor+json': tensorView, 'text/plain': values };
  };
  if (t.size > MAX_TENSOR_ELEMENTS_READ) {
    return Promise.resolve(view(`${tensorSummary(t)}\n(${t.size.toLocaleString('en')} values; too many to read back for printing)`));
  }
  let clone: TensorLike;
  try {
    clone = t.clone();
  } catch (err) {
    return Promise.resolve(textBundle(`${tensorSummary(t)} (${(err as Error).message})`));
  }
  return (async () => {
    try {
      // Reading asynchronously caches the values on the CPU, so toString() below does not block on the GPU.
      await clone.data();
      return view(clone.toString());
    } catch (err) {
      return textBundle(`${tensorSummary(t)} (could not read values: ${(err as Error).message})`);
    } finally {
      clone.dispose();
    }
  })();
}
