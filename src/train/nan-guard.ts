// Stops training the moment the loss stops being a number. Once a step's loss is NaN (or infinite), its gradients
// are too and every later update writes NaN into the weights: going on only burns time and hides the step at fault.

/** fit() throws this when a batch's loss is NaN or ±Infinity; `step` is 1-based, as the plot and progress count. */
export class NonFiniteLossError extends Error {
  constructor(
    readonly loss: number,
    readonly step: number,
    readonly epoch: number,
    readonly batch: number,
  ) {
    super(
      `The loss became ${String(loss)} at step ${step} (epoch ${epoch}, batch ${batch}), so training stopped there. ` +
        `The weights may already hold NaN or Infinity: rebuild the model (re-run the cell that makes it), then train again ` +
        `with a smaller learning rate (lr), or look for NaN in the inputs.`,
    );
    this.name = 'NonFiniteLossError';
  }
}

/** Throws NonFiniteLossError unless `loss` is a finite number. Positions are 1-based. */
export function assertFiniteLoss(loss: number, where: { step: number; epoch: number; batch: number }): void {
  if (!Number.isFinite(loss)) throw new NonFiniteLossError(loss, where.step, where.epoch, where.batch);
}
