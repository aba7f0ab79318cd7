import type { RunController, KernelView } from './core/run-controller';

export function Toolbar({ controller, kernel }: { controller: RunController; kernel: KernelView }) {
  const busy = kernel.state === 'busy' || Object.keys(kernel.runs).length > 0;
  return (
    <div className="toolbar" role="toolbar" aria-label="Notebook">
      <button type="button" onClick={() => controller.runAll()}>
        Run all
      </button>
      <button type="button" onClick={() => void controller.interrupt()} disabled={!busy}>
        Interrupt
      </button>
      <button type="button" onClick={() => void controller.restart()} disabled={kernel.state === 'restarting'}>
        Restart kernel
      </button>
      <div className="kernels-toggle" role="radiogroup" aria-label="Convolution kernels">
        {(['convlab', 'stock'] as const).map((choice) => (
          <button
            key={choice}
            type="button"
            role="radio"
            aria-checked={kernel.kernels === choice}
            className={kernel.kernels === choice ? 'selected' : undefined}
            onClick={() => void controller.setKernels(choice)}
            title={choice === 'convlab' ? "Run convolutions, concat and BatchNorm's arithmetic on ConvLab's own WGSL kernels" : "Run convolutions, concat and BatchNorm's arithmetic on TensorFlow.js's stock kernels"}
          >
            {choice === 'convlab' ? 'Our kernels' : 'Stock kernels'}
          </button>
        ))}
      </div>
    </div>
  );
}
