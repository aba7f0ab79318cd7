// The SVG of a laid-out architecture graph: open blocks as frames, closed ones and layers as boxes, merges as small
// pills, edges coloured by kind and labelled with their tensor's shape (NHWC without the batch; hover for NCHW).
import { memo } from 'react';
import { FRAME_TOP, shortShape, subtitle, type GraphLayout, type PlacedNode } from './ArchitectureGraphLayout';

const KINDS = ['sequence', 'add', 'concat', 'join'] as const;

function nhwc(shape: ReadonlyArray<number | null>): string {
  return `[${shape.map((d) => (d == null ? 'N' : d)).join(', ')}]`;
}

function nchw(shape: ReadonlyArray<number | null>): string {
  return shape.length === 4 ? nhwc([shape[0], shape[3], shape[1], shape[2]]) : nhwc(shape);
}

interface DrawingProps {
  layout: GraphLayout;
  transform: { x: number; y: number; k: number };
  uid: string;
  onToggle(id: string): void;
  onSelect(cellId: string | undefined, label: string): void;
}

function Toggle({ p, open, onToggle }: { p: PlacedNode; open: boolean; onToggle(id: string): void }) {
  const { node } = p.visible;
  const x = p.width - 22;
  const act = () => onToggle(node.id);
  return (
    <g
      className="arch-toggle"
      role="button"
      tabIndex={0}
      aria-label={`${open ? 'Collapse' : 'Expand'} ${node.label}`}
      aria-expanded={open}
      transform={`translate(${x} 4)`}
      onClick={(e) => {
        e.stopPropagation();
        act();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          e.stopPropagation();
          act();
        }
      }}
    >
      <rect width={18} height={18} rx={4} />
      <text x={9} y={13.5} textAnchor="middle">{open ? '−' : '+'}</text>
    </g>
  );
}

function Box({ p, onToggle, onSelect }: { p: PlacedNode; onToggle(id: string): void; onSelect: DrawingProps['onSelect'] }) {
  const { node, expandable } = p.visible;
  const sub = subtitle(p.visible);
  const select = () => onSelect(node.cellId, node.label);
  const describe = node.kind === 'group' ? node.label : `${node.label} (${node.className})`;
  return (
    <g
      className={`arch-node arch-node-${node.kind}`}
      transform={`translate(${p.x} ${p.y})`}
      role="button"
      tabIndex={0}
      aria-label={`${describe}, output ${nhwc(node.shape)}`}
      data-node-id={node.id}
      onClick={select}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          select();
        }
      }}
    >
      <title>{`${describe}\nNHWC ${nhwc(node.shape)}\nNCHW ${nchw(node.shape)}`}</title>
      <rect width={p.width} height={p.height} rx={node.kind === 'op' ? p.height / 2 : 6} />
      {node.kind === 'op' || !sub ? (
        <text className="arch-node-label" x={p.width / 2} y={p.height / 2 + 4} textAnchor="middle">{node.label}</text>
      ) : (
        <>
          <text className="arch-node-label" x={10} y={15}>{node.label}</text>
          <text className="arch-node-sub" x={10} y={29}>{sub}</text>
        </>
      )}
      {expandable && <Toggle p={p} open={false} onToggle={onToggle} />}
    </g>
  );
}

function Frame({ p, onToggle }: { p: PlacedNode; onToggle(id: string): void }) {
  const { node } = p.visible;
  return (
    <g className={`arch-frame arch-frame-${node.kind}`} transform={`translate(${p.x} ${p.y})`} data-node-id={node.id}>
      <rect width={p.width} height={p.height} rx={8} />
      <text className="arch-frame-label" x={10} y={FRAME_TOP - 9}>
        {node.label}
        {node.kind === 'block' ? ` (${node.className})` : ''}
      </text>
      <Toggle p={p} open onToggle={onToggle} />
    </g>
  );
}

export const GraphDrawing = memo(function GraphDrawing({ layout, transform, uid, onToggle, onSelect }: DrawingProps) {
  const marker = (kind: string) => `arch-arrow-${kind}-${uid}`;
  return (
    <svg className="arch-graph-svg" width="100%" height="100%" data-nodes={layout.nodes.length} data-edges={layout.edges.length}>
      <defs>
        {KINDS.map((kind) => (
          <marker key={kind} id={marker(kind)} className={`arch-arrow arch-arrow-${kind}`} viewBox="0 0 8 8" refX={7} refY={4} markerWidth={7} markerHeight={7} orient="auto">
            <path d="M0,0 L8,4 L0,8 z" />
          </marker>
        ))}
      </defs>
      <g transform={`translate(${transform.x} ${transform.y}) scale(${transform.k})`}>
        {layout.nodes.filter((p) => p.visible.children).map((p) => <Frame key={p.visible.node.id} p={p} onToggle={onToggle} />)}
        {layout.edges.map(({ edge, points, label }) => (
          <g key={edge.id} className={`arch-edge arch-edge-${edge.kind}`} data-edge-kind={edge.kind} data-from={edge.from} data-to={edge.to}>
            <title>{`${edge.kind === 'sequence' ? 'main path' : edge.kind}: NHWC ${nhwc(edge.shape)} · NCHW ${nchw(edge.shape)}`}</title>
            <path d={points.map((pt, i) => `${i ? 'L' : 'M'}${pt.x},${pt.y}`).join(' ')} markerEnd={`url(#${marker(edge.kind)})`} />
            {label && (
              <g className="arch-edge-label" transform={`translate(${label.x} ${label.y})`}>
                <rect width={label.text.length * 6 + 6} height={12} rx={3} />
                <text x={3} y={9.5}>{label.text || shortShape(edge.shape)}</text>
              </g>
            )}
          </g>
        ))}
        {layout.nodes.filter((p) => !p.visible.children).map((p) => <Box key={p.visible.node.id} p={p} onToggle={onToggle} onSelect={onSelect} />)}
      </g>
    </svg>
  );
});
