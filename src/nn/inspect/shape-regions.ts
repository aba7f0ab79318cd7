// The stretches of a model that a learner names: stem, dense block 1, transition 1, stage 2, …, head. The shape
// plot shades them, the architecture graph groups by them.
import { CompositeLayer } from '../core/composite';
import type { ModelTrace } from './graph-trace';

export interface ShapeRegion {
  /** 'dense block 1', 'transition 1', 'stage 2', 'fractal block 1', 'stem', 'head', or a block's own name. */
  label: string;
  kind: 'block' | 'stem' | 'head';
  /** Paths of the top-level layers or blocks it covers, in order (a stage covers several residual blocks). */
  paths: string[];
}

/** Blocks that only hold the model's real blocks in a row (FractalNet's body): their blocks are the regions. */
const CONTAINERS = new Set(['FractalBody']);

const BLOCK_LABELS: Record<string, string> = {
  DenseBlock: 'dense block',
  Transition: 'transition',
  ResidualBlock: 'residual block',
  FractalBlock: 'fractal block',
  SqueezeExcite: 'SE block',
};

interface Item {
  path: string;
  className: string;
  isBlock: boolean;
}

/** The model's top-level layers and blocks, with containers opened up. */
export function regionItems(trace: ModelTrace): Item[] {
  return trace.top.flatMap((t): Item[] =>
    CONTAINERS.has(t.className) && t.layer instanceof CompositeLayer
      ? t.layer.sublayers.map((l) => ({ path: `${t.path}/${l.name}`, className: l.getClassName(), isBlock: l instanceof CompositeLayer }))
      : [{ path: t.path, className: t.className, isBlock: t.isBlock }],
  );
}

/** torchvision's "layer2.1" and d2l's "b3.0" name a residual block by its stage: "layer2", "b3". */
function stageOf(name: string): string | null {
  return /^(.+)\.\d+$/.exec(name)?.[1] ?? null;
}

export function shapeRegions(trace: ModelTrace): ShapeRegion[] {
  const items = regionItems(trace);
  const firstBlock = items.findIndex((i) => i.isBlock);
  if (firstBlock < 0) return [];
  const lastBlock = items.length - 1 - [...items].reverse().findIndex((i) => i.isBlock);
  const regions: ShapeRegion[] = [];
  const counts = new Map<string, number>();
  let stage: string | null = null;
  items.forEach((item, i) => {
    if (!item.isBlock) {
      stage = null;
      const kind = i < firstBlock ? 'stem' : i > lastBlock ? 'head' : null;
      if (!kind) return;
      const last = regions[regions.length - 1];
      if (last?.kind === kind) last.paths.push(item.path);
      else regions.push({ label: kind, kind, paths: [item.path] });
      return;
    }
    const name = item.path.slice(item.path.lastIndexOf('/') + 1);
    const itemStage = item.className === 'ResidualBlock' ? stageOf(name) : null;
    if (itemStage && itemStage === stage) {
      regions[regions.length - 1].paths.push(item.path);
      return;
    }
    stage = itemStage;
    const n = (counts.get(itemStage ? 'stage' : item.className) ?? 0) + 1;
    counts.set(itemStage ? 'stage' : item.className, n);
    const label = itemStage
      ? `stage ${/(\d+)$/.exec(itemStage)?.[1] ?? n}`
      : BLOCK_LABELS[item.className] ? `${BLOCK_LABELS[item.className]} ${n}` : name;
    regions.push({ label, kind: 'block', paths: [item.path] });
  });
  return regions;
}

/** The region a layer or block at `path` lies in, if any. */
export function regionOf(regions: ShapeRegion[], path: string): ShapeRegion | undefined {
  return regions.find((r) => r.paths.some((p) => path === p || path.startsWith(`${p}/`)));
}
