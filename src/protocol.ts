// The one message vocabulary spoken between the page (UI) and the kernel worker.
// Names follow Jupyter's messaging spec so that anyone who knows Jupyter can read the traffic, and so ipynb
// outputs map one-to-one onto what the kernel sends. The compiler holds it to that: each Jupyter message here is
// checked against @jupyterlab/services' type for it (see ./jupyter.ts), ConvLab's additions named field by field.
// The envelope is ConvLab's own and flat (msg_type, msg_id or parent_id, content): page and worker talk over one
// postMessage channel, where Jupyter's header, parent_header, channel and buffers would carry nothing.
// This file must stay free of runtime imports: both bundles include it. The Jupyter imports are types only.
import type * as nbformat from '@jupyterlab/nbformat';
import type { KernelMessage } from '@jupyterlab/services';
import type { Conforms, Deviations } from './jupyter';

/**
 * Rich output keyed by MIME type, as in Jupyter's display_data. It and the views below are type aliases, not
 * interfaces, so that the compiler can check them against nbformat's IMimeBundle (text as strings, the rest JSON):
 * an interface has no index signature and would never match one.
 */
export type MimeBundle = {
  'text/plain'?: string;
  /** Untrusted: the page sanitises it before showing it. */
  'text/html'?: string;
  'text/markdown'?: string;
  /** base64 without the data: prefix, as in ipynb. */
  'image/png'?: string;
  'application/json'?: nbformat.IMimeBundle[string];
  'application/vnd.convlab.tensor+json'?: TensorView;
  'application/vnd.convlab.table+json'?: TableView;
  'application/vnd.convlab.plot+json'?: PlotView;
  'application/vnd.convlab.progress+json'?: ProgressView;
  'application/vnd.convlab.download+json'?: DownloadView;
  'application/vnd.convlab.image-grid+json'?: ImageGridView;
  'application/vnd.convlab.shape-plot+json'?: ShapePlotView;
  'application/vnd.convlab.graph+json'?: GraphView;
  'application/vnd.convlab.feature-maps+json'?: FeatureMapsView;
  'application/vnd.convlab.heatmap+json'?: HeatmapView;
};

/** Output metadata: JSON, as nbformat stores it. */
export type OutputMetadata = nbformat.OutputMetadata;

/** A tensor as the page shows it: never the whole buffer, only a printed abbreviation. */
export type TensorView = {
  shape: number[];
  dtype: string;
  size: number;
  /** tf.Tensor.toString(): abbreviated values. */
  values: string;
};

/** A table such as a model summary or a confusion matrix. `indent` nests rows as a tree. */
export type TableView = {
  caption?: string;
  columns: string[];
  rows: Array<Array<string | number>>;
  indent?: number[];
  /** Row indices drawn as totals (bold, with a rule above). */
  totalRows?: number[];
  /** Colour the numeric cells by value (confusion matrices). */
  heatmap?: boolean;
};

export type PlotSeries = {
  label: string;
  /** 'y' is the left axis, 'y2' the right one. */
  axis?: 'y' | 'y2';
  /** Mark each point (a series with one point per epoch is otherwise invisible until its second). */
  points?: boolean;
};

/**
 * A live line plot. The first column of each row is x; the others follow `series`.
 * Updates arrive as update_display_data carrying `append` rows, so the page adds points
 * instead of redrawing from scratch.
 */
export type PlotView = {
  title: string;
  xLabel: string;
  yLabel?: string;
  y2Label?: string;
  /** A log scale on the left axis, for values that span orders of magnitude (gradient norms per block). */
  yLog?: boolean;
  series: PlotSeries[];
  rows: Array<Array<number | null>>;
  append?: boolean;
};

export type ProgressView = {
  label: string;
  value: number;
  max: number;
  /** Free text such as "epoch 2/10 · batch 120/235 · 850 img/s · ETA 1:20". */
  detail?: string;
  done?: boolean;
};

/** A file the kernel made (e.g. a trained model) offered as a download link: workers cannot click anchors. */
export type DownloadView = {
  label: string;
  files: Array<{ filename: string; mimeType: string; base64: string }>;
};

/**
 * Small images with a caption under each (dataset samples, predictions). The captions are page text, so they stay
 * sharp, wrap instead of being clipped and take the theme's colours; each image is its own PNG at its natural size,
 * which the page scales up to imageWidth × imageHeight with hard pixel edges. The bundle's image/png is the same
 * grid drawn as one picture, for Jupyter.
 */
export type ImageGridView = {
  title?: string;
  perRow: number;
  /** CSS pixels each image is shown at. */
  imageWidth: number;
  imageHeight: number;
  tiles: Array<{
    /** base64 PNG without the data: prefix. */
    png: string;
    caption: string;
    /** A prediction's verdict, coloured by the page's theme. */
    tone?: 'right' | 'wrong';
  }>;
};

/**
 * One grey tile per channel of a layer's activation for one image (nn.featureMaps), or per kernel of a convolution
 * (nn.filters). Tiles carry raw grey bytes, which the page draws into canvases (ImageData) at tileWidth × tileHeight
 * and scales up with hard pixel edges; the bundle's image/png is the same tiles as one picture, for Jupyter.
 */
export type FeatureMapsView = {
  /** Also the view's accessible name: 'Feature maps' or 'Filters'. */
  kind: 'activations' | 'filters';
  title: string;
  /** Pixels of each tile's data. */
  tileWidth: number;
  tileHeight: number;
  /** CSS pixels each tile is shown at. */
  displaySize: number;
  perRow: number;
  tiles: Array<{
    label: string;
    /** base64 of tileWidth × tileHeight grey bytes, row-major (0 = black). */
    grey: string;
    /** The values that map to black and white. */
    min: number;
    max: number;
  }>;
  /** E.g. which tiles were left out of a very wide layer. */
  note?: string;
};

/** Numbers as colours on a shared scale: rows × cols per panel (nn.seGates: channels × images per SE block). */
export type HeatmapView = {
  /** The view's accessible name, e.g. 'SE gates'. */
  name: string;
  title: string;
  rowLabel: string;
  colLabel: string;
  /** The values at the two ends of the colour scale. */
  range: [number, number];
  /** Colours by log(value) (channel counts that double stage by stage); default linear. */
  scale?: 'linear' | 'log';
  /** Decimals shown on hover (default 3; 0 for counts). */
  digits?: number;
  panels: Array<{
    label: string;
    rows: number;
    cols: number;
    /** rows × cols values, row-major. */
    values: number[];
    /** A name per column, shown on hover (e.g. each layer's path). */
    colNames?: string[];
  }>;
};

/** A model's shapes along depth (nn.shapePlot): one point per leaf layer, NHWC, batch first; regions are shaded. */
export type ShapePlotView = {
  title: string;
  points: Array<{
    path: string;
    className: string;
    shape: Array<number | null>;
    /** The feature map carried on past the layer (a dense block's concatenation), where it differs from `shape`. */
    carried?: Array<number | null>;
    region?: string;
  }>;
  /** 'stem', 'dense block 1', 'stage 2', …: the first and last index of their points. */
  regions: Array<{ label: string; kind: 'block' | 'stem' | 'head'; start: number; end: number }>;
};

/**
 * A model's architecture (nn.graph): blocks as nodes that contain their layers (`parent`), merges as small nodes,
 * and edges carrying a tensor of `shape` (NHWC, batch first). An edge's kind says how its target takes it in:
 * the main path is 'sequence', a residual shortcut 'add', features appended by a concatenation 'concat', a further
 * column of a fractal join 'join'.
 */
export type GraphView = {
  title: string;
  nodes: Array<{
    id: string;
    label: string;
    kind: 'input' | 'group' | 'block' | 'layer' | 'op';
    className: string;
    parent?: string;
    shape: Array<number | null>;
    /** The cell that made this block or layer, where it is not the one that made the model. */
    cellId?: string;
  }>;
  edges: Array<{ from: string; to: string; kind: 'sequence' | 'add' | 'concat' | 'join'; shape: Array<number | null> }>;
  /** The cell that built the model: clicking a node selects it. */
  cellId?: string;
};

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

/** Messages ConvLab adds to Jupyter's: Exclude drops any name Jupyter also uses, so such a name fails to compile. */
type ConvLabMessageType = Exclude<
  'kernel_ready' | 'resource_usage' | 'device_lost' | 'option_request' | 'option_reply',
  KernelMessage.MessageType
>;

/** A request the page sends: msg_id is the id every message answering it carries as parent_id. */
interface ToKernel<T extends string, C> {
  msg_type: T;
  msg_id: string;
  content: C;
}

/** Jupyter's request M: its msg_type, and content that the compiler checks against M's (see ./jupyter.ts). */
type JupyterRequest<M extends KernelMessage.Message, C extends Conforms<M['content'], C, D>, D extends Deviations = object> =
  ToKernel<M['header']['msg_type'], C>;

export type ExecuteRequest = JupyterRequest<KernelMessage.IExecuteRequestMsg, {
  code: string;
  /** Name used in stack traces and error messages, e.g. "Cell 3". */
  cell_label?: string;
  /** Silent requests neither bump the execution count nor produce an execute_result. */
  silent?: boolean;
  /** The page's id of the cell (JupyterLab sends it as the header's cellId): views link back to the cell that made a model. */
  cell_id?: string;
}, { adds: 'cell_label' | 'cell_id' }>;

export type InterruptRequest = JupyterRequest<KernelMessage.IInterruptRequestMsg, Record<string, never>>;

/** A request of ConvLab's own, under a name Jupyter does not use. */
type ConvLabRequest<T extends ConvLabMessageType, C> = ToKernel<T, C>;

/** Runtime switches that the UI flips without running code, e.g. our kernels vs stock. */
export type OptionRequest = ConvLabRequest<'option_request', { name: 'kernels'; value: 'convlab' | 'stock' }>;

export type PageToKernel = ExecuteRequest | InterruptRequest | OptionRequest;

/**
 * The page's first message to a new kernel worker, outside the request vocabulary: it carries the private port
 * (transferred with it) that every later message uses, and the page's settings.
 */
export type KernelHandshake = { channel: 'convlab-kernel'; settings: KernelSettings };

export type KernelSettings = {
  /** The page was opened with `?quick` (ConvLab's own test run): lessons' training cells run their tiny version. */
  quick: boolean;
};

// ---- kernel → page ----------------------------------------------------------------------

interface FromKernel<T extends string, C> {
  msg_type: T;
  /** msg_id of the request this message answers or belongs to. */
  parent_id?: string;
  content: C;
}

/** Jupyter's message M: its msg_type, and content that the compiler checks against M's (see ./jupyter.ts). */
type JupyterMessage<M extends KernelMessage.Message, C extends Conforms<M['content'], C, D>, D extends Deviations = object> =
  FromKernel<M['header']['msg_type'], C>;

/** A message of ConvLab's own, under a name Jupyter does not use. */
type ConvLabMessage<T extends ConvLabMessageType, C> = FromKernel<T, C>;

/** The states ConvLab's kernel reports: Jupyter's, less those only a Jupyter server sets (restarting, dead, …). */
export type ExecutionState = Extract<KernelMessage.Status, 'starting' | 'idle' | 'busy'>;

export type KernelReady = ConvLabMessage<'kernel_ready', {
  backend: BackendName;
  /** Set when the kernel fell back from WebGPU: why, in words a learner can act on. */
  fallback_reason?: string;
  adapter?: AdapterDescription;
  tfjs_version: string;
}>;
export type Status = JupyterMessage<KernelMessage.IStatusMsg, { execution_state: ExecutionState }>;
export type Stream = JupyterMessage<KernelMessage.IStreamMsg, { name: 'stdout' | 'stderr'; text: string }>;
export type DisplayData = JupyterMessage<KernelMessage.IDisplayDataMsg, {
  data: MimeBundle;
  metadata: OutputMetadata;
  transient?: { display_id: string };
}>;
export type UpdateDisplayData = JupyterMessage<KernelMessage.IUpdateDisplayDataMsg, {
  data: MimeBundle;
  metadata: OutputMetadata;
  transient: { display_id: string };
}>;
export type ExecuteResult = JupyterMessage<KernelMessage.IExecuteResultMsg, {
  execution_count: number;
  data: MimeBundle;
  metadata: OutputMetadata;
}>;
export type ErrorOutput = JupyterMessage<KernelMessage.IErrorMsg, {
  ename: string;
  evalue: string;
  traceback: string[];
  /** 1-based line inside the cell's own source, when known. */
  line?: number;
  column?: number;
}, { adds: 'line' | 'column' }>;
/**
 * Only status and count: the error itself arrives just before as an `error` message (which Jupyter kernels send
 * too), and ConvLab evaluates no user_expressions, so it leaves out the fields that would repeat or be empty.
 */
export type ExecuteReply = JupyterMessage<KernelMessage.IExecuteReplyMsg, {
  status: 'ok' | 'error' | 'aborted';
  execution_count: number | null;
  /** What the run's layer and model applications returned, by cell line (absent when it applied none). */
  shape_hints?: ShapeHint[];
}, { adds: 'shape_hints' }>;

/**
 * The outputs of the last layer, block or model application on one line of the cell (src/runtime/shape-hints.ts):
 * shapes only, NHWC, batch first; a symbolic tensor's unknown batch is null. The editor shows it beside the line.
 */
export type ShapeHint = {
  /** 1-based line in the cell's source as it was run. */
  line: number;
  /** One shape per output (layers with several outputs return several). */
  shapes: Array<Array<number | null>>;
};
export type InterruptReply = JupyterMessage<KernelMessage.IInterruptReplyMsg, { status: 'ok' }>;
export type ResourceUsage = ConvLabMessage<'resource_usage', MemoryInfo>;
/** The GPU device was lost: the kernel keeps running on a fallback backend, or asks for a restart. */
export type DeviceLost = ConvLabMessage<'device_lost', { reason: string; message: string }>;
export type OptionReply = ConvLabMessage<'option_reply', {
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
