// Base class for blocks made of sublayers (residual, dense, SE, fractal …). tfjs-layers has no
// nested-layer support outside models, so this class owns its sublayers, exposes their weights as
// its own (so models count, train, save and load them) and derives build / shape inference / call
// from one `forward` written against a Flow.
import * as tf from '@tensorflow/tfjs';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import { buildShapes, inferShapes, tensorFlow, type Flow, type Shape } from './flow';

export type LayerArgs = ConstructorParameters<typeof tf.layers.Layer>[0];

export function singleShape(inputShape: tf.Shape | tf.Shape[]): Shape {
  return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
}

export abstract class CompositeLayer extends tf.layers.Layer {
  // Not a class field: tfjs's constructor may read the weight getters before fields initialise.
  private sublayerList?: tf.layers.Layer[];

  /** Creates the sublayers once the input shape is known (projection shortcuts depend on it). */
  protected abstract createSublayers(inputShape: Shape): void;

  /** The block's computation, once, for tensors and shapes alike. */
  abstract forward<T>(flow: Flow<T>, x: T): T;

  protected own<L extends tf.layers.Layer>(layer: L): L {
    (this.sublayerList ??= []).push(layer);
    return layer;
  }

  /** Direct sublayers in creation order. */
  get sublayers(): tf.layers.Layer[] {
    return this.sublayerList ?? [];
  }

  findSublayer(name: string): tf.layers.Layer {
    const found = this.sublayers.find((l) => l.name === name);
    if (!found) throw new Error(`${this.name} has no sublayer "${name}" (has ${this.sublayers.map((l) => l.name).join(', ')})`);
    return found;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = singleShape(inputShape);
    if (this.sublayers.length === 0) this.createSublayers(shape);
    this.forward(buildShapes, shape);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return this.forward(inferShapes, singleShape(inputShape)) as tf.Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return this.forward(tensorFlow(kwargs?.['training'] === true), x);
  }

  override get trainable(): boolean {
    return super.trainable;
  }

  override set trainable(value: boolean) {
    super.trainable = value;
    for (const l of this.sublayers) l.trainable = value;
  }

  override get trainableWeights(): tf.LayerVariable[] {
    if (!this.trainable) return [];
    return [...super.trainableWeights, ...this.sublayers.flatMap((l) => l.trainableWeights)];
  }

  override set trainableWeights(_: tf.LayerVariable[]) {
    throw new Error(`${this.name}: weights belong to its sublayers`);
  }

  override get nonTrainableWeights(): tf.LayerVariable[] {
    const own = super.nonTrainableWeights;
    if (!this.trainable) return [...own, ...this.sublayers.flatMap((l) => l.weights)];
    return [...own, ...this.sublayers.flatMap((l) => l.nonTrainableWeights)];
  }

  override set nonTrainableWeights(_: tf.LayerVariable[]) {
    throw new Error(`${this.name}: weights belong to its sublayers`);
  }
}
