// FractalNet's block (Larsson et al.): f1(z) = conv(z), f_{C+1}(z) = join(f_C(f_C(z)), conv(z)),
// join = element-wise mean of the inputs present, "conv" = 3×3 conv → BN → ReLU. As in the paper's
// figure, a join that ends where an inner join ends absorbs it, so the block's last join averages
// all C columns at once (column c is 2^c units deep).
import * as tf from '@tensorflow/tfjs';
import { CompositeLayer, type LayerArgs } from '../core/composite';
import { batchNorm, conv } from '../core/layers';
import type { Flow } from '../core/flow';
import type { BlockJoins } from './drop-path';

interface Entry<V> {
  column: number;
  value: V;
}

/**
 * Builds the fractal over any value type: `unit(column, input)` applies one conv unit of that column,
 * `join(id, entries)` merges inputs. Join ids and the order of units per column depend only on C,
 * which is what lets a host-side mask address joins.
 */
export function expandFractal<V>(
  columns: number,
  input: V,
  unit: (column: number, input: V) => V,
  join: (id: number, entries: Array<Entry<V>>) => V,
): V {
  let nextJoin = 0;
  const joinOf = (entries: Array<Entry<V>>): V => (entries.length === 1 ? entries[0].value : join(nextJoin++, entries));
  // Level k covers columns C−k … C−1; returns the entries of its last (deferred) join.
  const level = (k: number, z: V): Array<Entry<V>> => {
    const direct = columns - k;
    if (k === 1) return [{ column: direct, value: unit(direct, z) }];
    const inner = level(k - 1, joinOf(level(k - 1, z)));
    return [{ column: direct, value: unit(direct, z) }, ...inner];
  };
  return joinOf(level(columns, input));
}

/** The columns meeting at each join of a C-column block. */
export function fractalJoins(columns: number): BlockJoins {
  const joins: BlockJoins = [];
  expandFractal<null>(columns, null, () => null, (id, entries) => {
    joins[id] = entries.map((e) => e.column);
    return null;
  });
  return joins;
}

export interface FractalBlockArgs extends NonNullable<LayerArgs> {
  columns: number;
  filters: number;
}

export interface JoinRecord {
  inputs: number;
  kept: number;
}

export class FractalBlock extends CompositeLayer {
  static className = 'FractalBlock';
  readonly columns: number;
  readonly filters: number;
  /** keep[join][input] for the next training forward, set by the network's drop-path sampler. */
  dropMask: boolean[][] | null = null;
  /** When set, only this column runs (train and inference): the block is a plain chain of convs. */
  onlyColumn: number | null = null;
  /** Joins evaluated by the last tensor forward: how many inputs each had and kept. */
  lastJoins: JoinRecord[] = [];
  private units: Array<Array<[tf.layers.Layer, tf.layers.Layer]>> = [];

  constructor(args: FractalBlockArgs) {
    super(args);
    this.columns = args.columns;
    this.filters = args.filters;
    if (this.columns < 1) throw new Error('A fractal block needs at least one column');
  }

  protected createSublayers(): void {
    for (let c = 0; c < this.columns; c++) {
      const column: Array<[tf.layers.Layer, tf.layers.Layer]> = [];
      for (let d = 0; d < 2 ** c; d++) {
        column.push([this.own(conv(`col${c}.conv${d}`, this.filters, 3)), this.own(batchNorm(`col${c}.bn${d}`))]);
      }
      this.units.push(column);
    }
  }

  /** The conv and BN of unit `depth` in column `column` (depth 0 reads the block input). */
  unit(column: number, depth: number): { conv: tf.layers.Layer; norm: tf.layers.Layer } {
    const [c, n] = this.units[column][depth];
    return { conv: c, norm: n };
  }

  forward<T>(flow: Flow<T>, x: T): T {
    const mask = flow.training ? this.dropMask : null;
    const records: JoinRecord[] = [];
    const depth = new Array<number>(this.columns).fill(0);
    // Lazy values: in global mode or with onlyColumn, units of unused columns are never run.
    type Lazy = () => T;
    const memo = (f: Lazy): Lazy => {
      let done = false;
      let v: T;
      return () => {
        if (!done) { v = f(); done = true; }
        return v;
      };
    };
    const result = expandFractal<Lazy>(
      this.columns,
      () => x,
      (column, input) => {
        const [cv, bn] = this.units[column][depth[column]++];
        return memo(() => flow.relu(flow.layer(bn, flow.layer(cv, input()))));
      },
      (id, entries) =>
        memo(() => {
          const keep = entries.map((e, i) => (this.onlyColumn !== null ? e.column === this.onlyColumn : mask ? mask[id][i] : true));
          const kept = entries.filter((_, i) => keep[i]);
          if (kept.length === 0) throw new Error(`${this.name}: join ${id} would drop all its inputs`);
          const y = flow.mean(kept.map((e) => e.value()));
          records.push({ inputs: entries.length, kept: kept.length });
          return y;
        }),
    );
    const y = result();
    if (x instanceof tf.Tensor) this.lastJoins = records;
    return y;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), columns: this.columns, filters: this.filters };
  }
}
tf.serialization.registerClass(FractalBlock);
