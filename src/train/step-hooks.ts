// The boundary of one training step, for whoever wants to act on it without train knowing who: the GPU layer
// registers here to measure a step's memory and give the WebGPU buffer pool back afterwards (src/gpu/memory),
// the way it plugs into nn through nn/ops. train never imports the GPU layer, so it runs on any backend.

export interface StepHooks {
  /** Before the step's batch is used: its forward, backward and update follow. */
  started(): void;
  /** After the step's tensors (batch, loss, predictions) are disposed. */
  ended(): void;
}

let hooks: StepHooks | null = null;

/** Sets (or, with null, clears) the hooks every training step calls. */
export function setStepHooks(h: StepHooks | null): void { hooks = h; }

export function stepStarted(): void { hooks?.started(); }

export function stepEnded(): void { hooks?.ended(); }
