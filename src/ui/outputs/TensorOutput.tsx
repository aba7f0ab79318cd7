import type { TensorView } from '../../protocol';

export function TensorOutput({ tensor }: { tensor: TensorView }) {
  return (
    <div className="output-tensor">
      <div className="tensor-meta">
        <span>Tensor</span>
        <span className="tensor-shape">shape [{tensor.shape.join(', ')}]</span>
        <span>{tensor.dtype}</span>
        <span>{tensor.size.toLocaleString()} {tensor.size === 1 ? 'value' : 'values'}</span>
      </div>
      {/* tf's toString() starts with a "Tensor" line that the header above already says. */}
      <pre className="tensor-values">{tensor.values.replace(/^Tensor\s*\n/, '')}</pre>
    </div>
  );
}
