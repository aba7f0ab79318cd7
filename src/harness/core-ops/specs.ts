// Which of tfjs-core's own spec files run against the webgpu backend with ConvLab's kernels registered, how
// their specs group into the families the e2e test counts, and the (short, justified) exclusion list.
//
// The files are tfjs-core 4.22's compiled jasmine specs (node_modules/@tensorflow/tfjs-core/dist). They import
// '../index' (tfjs-core's module entry, the same instance @tensorflow/tfjs uses), so the kernels ConvLab
// registers under the 'webgpu' backend are the ones they run.

export interface SpecFile {
  name: string;
  /** Dynamic, so the spec module is evaluated (its describe() calls run) only after jasmine and the env are set. */
  load: () => Promise<unknown>;
}

export const SPEC_FILES: SpecFile[] = [
  // Conv2D forward (NHWC and NCHW, strides, padding modes) and, under 'gradient', Conv2DBackpropInput/Filter.
  { name: 'conv2d_test', load: () => import('@tensorflow/tfjs-core/dist/ops/conv2d_test') },
  // conv2dTranspose's forward pass IS Conv2DBackpropInput; its gradients run Conv2D and Conv2DBackpropFilter.
  { name: 'conv2d_transpose_test', load: () => import('@tensorflow/tfjs-core/dist/ops/conv2d_transpose_test') },
  // FusedConv2D (bias, activations, NCHW) and its gradients (both backprops plus the bias reduction, Sum).
  { name: 'fused_conv2d_test', load: () => import('@tensorflow/tfjs-core/dist/ops/fused/fused_conv2d_test') },
  // Concat (1-D..4-D, many inputs, int32/bool/complex/string) and the slices of its gradient.
  { name: 'concat_test', load: () => import('@tensorflow/tfjs-core/dist/ops/concat_test') },
  // FusedBatchNorm forward and its gradients: the per-channel Sum/Mean reductions and broadcast arithmetic.
  { name: 'batchnorm_test', load: () => import('@tensorflow/tfjs-core/dist/ops/batchnorm_test') },
];

export type Family = 'conv2d forward' | 'conv2d gradients' | 'concat' | 'batchnorm';

/** Family of one spec, from the file it came from and its name. */
export function familyOf(file: string, fullName: string): Family {
  if (file === 'concat_test') return 'concat';
  if (file === 'batchnorm_test') return 'batchnorm';
  if (file === 'conv2d_transpose_test' || /gradient|backprop/i.test(fullName)) return 'conv2d gradients';
  return 'conv2d forward';
}

export interface Exclusion {
  /** A substring of the spec's full name (jasmine's getFullName()). */
  match: string;
  reason: string;
}

/**
 * Specs that do not run, each with the reason. Kept empty unless a spec cannot run here for a reason that is
 * not ConvLab's (a failure caused by ConvLab's kernels is a finding, reported, never excluded):
 * - tfjs-backend-webgpu 4.22's own browser test setup (src/setup_test.ts at tag tfjs-v4.22.0, TEST_FILTERS)
 *   excludes nothing in these five files, so there is nothing to inherit from it.
 * - Synchronous reads: none of these files calls dataSync/arraySync/bufferSync (their checks await
 *   t.data()); a hidden one inside an op would raise SyncReadError here (the page installs ConvLab's guard on
 *   every webgpu backend instance) and show as a failure to be listed below, not destroy the device.
 */
export const EXCLUDED: Exclusion[] = [];
