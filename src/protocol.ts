// The one message vocabulary spoken between the page (UI) and the kernel worker.
// Names follow Jupyter's messaging spec so that anyone who knows Jupyter can read the traffic,
// and so ipynb outputs map one-to-one onto what the kernel sends.
// This file must stay free of runtime imports: both bundles include it.

/** Rich output keyed by MIME type, as in Jupyter's display_data. */
export interface MimeBundle {
  'text/plain'?: string;
  /** Untrusted: the page sanitises it before showing it. */
  'text/html'?: string;
  'text/markdown'?: string;
  /** base64 without the data: prefix, as in ipynb. */
  'image/png'?: string;
  'application/json'?: unknown;
  'application/vnd.convlab.tensor+json'?: TensorView;
  'application/vnd.convlab.table+json'?: TableView;
  'application/vnd.convlab.plot+json'?: PlotView;
  'application/vnd.convlab.progress+json'?: ProgressView;
  'application/vnd.convlab.download+json'?: DownloadView;
}

export type MimeType = keyof MimeBundle;

/** A tensor as the page shows it: never the whole buffer, only a printed abbreviation. */
export interface TensorView {
  shape: number[];
  dtype: string;
  size: number;
  /** tf.Tensor.toString(): abbreviated values. */
  values: string;
}

/** A table such as a model summary or a confusion matrix. `indent` nests rows as a tree. */
export interface TableView {
  caption?: string;
  columns: string[];
  rows: Array<Array<string | number>>;
  indent?: number[];
  /** Row indices drawn as totals (bold, with a rule above). */
  totalRows?: number[];
  /** Colour the numeric cells by value (confusion matrices). */
  heatmap?: boolean;
}

export interface PlotSeries {
  label: string;
  /** 'y' is the left axis, 'y2' the right one. */
  axis?: 'y' | 'y2';
}

/**
 * A live line plot. The first column of each row is x; the others follow `series`.
 * Updates arrive as update_display_data carrying `append` rows, so the page adds points
 * instead of redrawing from scratch.
 */
export interface PlotView {
  title: string;
  xLabel: string;
  yLabel?: string;
  y2Label?: string;
  series: PlotSeries[];
  rows: Array<Array<number | null>>;
  append?: boolean;
}

export interface ProgressView {
  label: string;
  value: number;
  max: number;
  /** Free text such as "epoch 2/10 · batch 120/235 · 850 img/s · ETA 1:20". */
  detail?: string;
  done?: boolean;
}

/** A file the kernel made (e.g. a trained model) offered as a download link: workers cannot click anchors. */
export interface DownloadView {
  label: string;
  files: Array<{ filename: string; mimeType: string; base64: string }>;
}

export type ExecutionState = 'starting' | 'idle' | 'busy';
export type BackendName = 'webgpu' | 'webgl' | 'cpu';

export interface AdapterDescription {
  vendor: string;
  architecture: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

export interface MemoryInfo {
  numTensors: number;
  numBytes: number;
  /** WebGPU/WebGL only: bytes the backend has allocated on the device (pooled buffers included). */
  numBytesInGPU?: number;
  numBytesAllocatedInGPU?: number;
}

// ---- page → kernel ----------------------------------------------------------------------

export interface ExecuteRequest {
  msg_type: 'execute_request';
  msg_id: string;
  content: {
    code: string;
    /** Name used in stack traces and error messages, e.g. "Cell 3". */
    cell_label?: string;
    /** Silent requests neither bump the execution count nor produce an execute_result. */
    silent?: boolean;
  };
}

export interface InterruptRequest {
  msg_type: 'interrupt_request';
  msg_id: string;
  content: Record<string, never>;
}

/** Runtime switches that the UI flips without running code, e.g. our kernels vs stock. */
export interface OptionRequest {
  msg_type: 'option_request';
  msg_id: string;
  content: { name: 'kernels'; value: 'convlab' | 'stock' };
}

export type PageToKernel = ExecuteRequest | InterruptRequest | OptionRequest;

// ---- kernel → page ----------------------------------------------------------------------

interface FromKernel<T extends string, C> {
  msg_type: T;
  /** msg_id of the request this message answers or belongs to. */
  parent_id?: string;
  content: C;
}

export type KernelReady = FromKernel<'kernel_ready', {
  backend: BackendName;
  /** Set when the kernel fell back from WebGPU: why, in words a learner can act on. */
  fallback_reason?: string;
  adapter?: AdapterDescription;
  tfjs_version: string;
}>;
export type Status = FromKernel<'status', { execution_state: ExecutionState }>;
export type Stream = FromKernel<'stream', { name: 'stdout' | 'stderr'; text: string }>;
export type DisplayData = FromKernel<'display_data', {
  data: MimeBundle;
  metadata: Record<string, unknown>;
  transient?: { display_id: string };
}>;
export type UpdateDisplayData = FromKernel<'update_display_data', {
  data: MimeBundle;
  metadata: Record<string, unknown>;
  transient: { display_id: string };
}>;
export type ExecuteResult = FromKernel<'execute_result', {
  execution_count: number;
  data: MimeBundle;
  metadata: Record<string, unknown>;
}>;
export type ErrorOutput = FromKernel<'error', {
  ename: string;
  evalue: string;
  traceback: string[];
  /** 1-based line inside the cell's own source, when known. */
  line?: number;
  column?: number;
}>;
export type ExecuteReply = FromKernel<'execute_reply', {
  status: 'ok' | 'error' | 'aborted';
  execution_count: number | null;
}>;
export type InterruptReply = FromKernel<'interrupt_reply', { status: 'ok' }>;
export type ResourceUsage = FromKernel<'resource_usage', MemoryInfo>;
/** The GPU device was lost: the kernel keeps running on a fallback backend, or asks for a restart. */
export type DeviceLost = FromKernel<'device_lost', { reason: string; message: string }>;
export type OptionReply = FromKernel<'option_reply', {
  name: string;
  value: string;
  /** Set when the option could not be applied (e.g. the kernels library is missing): why. */
  error?: string;
}>;

export type KernelToPage =
  | KernelReady
  | Status
  | Stream
  | DisplayData
  | UpdateDisplayData
  | ExecuteResult
  | ErrorOutput
  | ExecuteReply
  | InterruptReply
  | ResourceUsage
  | DeviceLost
  | OptionReply;

/** The output messages that end up stored in a cell (and in an ipynb file). */
export type OutputMessage = Stream | DisplayData | ExecuteResult | ErrorOutput;

export const INTERRUPTED_ENAME = 'Interrupted';
