// FractalNet's drop-path, decided on the host once per batch (as in the reference implementation):
// half the batches are "local" (every join drops each input with p, keeping at least one), half are
// "global" (one column for the whole network). Seeded, so a run can be replayed.
import { seededRandom } from '../../util/random';

export { seededRandom };

/** The columns meeting at each join of one block, in the block's join order. */
export type BlockJoins = number[][];

export interface DropPathSample {
  mode: 'local' | 'global';
  /** The surviving column in global mode; null in local mode. */
  column: number | null;
  /** keep[block][join][input]. */
  keep: boolean[][][];
}

export interface DropPathOptions {
  /** Probability that a join input is dropped in local mode. Default 0.15. */
  localDropProb?: number;
  /** Share of global batches. Default 0.5. */
  globalProb?: number;
}

export class DropPathSampler {
  private random: () => number;
  readonly localDropProb: number;
  readonly globalProb: number;

  constructor(seed: number, opts: DropPathOptions = {}) {
    this.random = seededRandom(seed);
    this.localDropProb = opts.localDropProb ?? 0.15;
    this.globalProb = opts.globalProb ?? 0.5;
  }

  reseed(seed: number): void {
    this.random = seededRandom(seed);
  }

  /** One batch's mask for a network whose blocks have `columns` columns and these joins. */
  sample(columns: number, blocks: BlockJoins[]): DropPathSample {
    if (this.random() < this.globalProb) {
      const column = Math.min(columns - 1, Math.floor(this.random() * columns));
      return { mode: 'global', column, keep: blocks.map((joins) => joins.map((cols) => cols.map((c) => c === column))) };
    }
    const keep = blocks.map((joins) =>
      joins.map((cols) => {
        const kept = cols.map(() => this.random() >= this.localDropProb);
        if (!kept.some(Boolean)) kept[Math.min(cols.length - 1, Math.floor(this.random() * cols.length))] = true;
        return kept;
      }),
    );
    return { mode: 'local', column: null, keep };
  }
}
