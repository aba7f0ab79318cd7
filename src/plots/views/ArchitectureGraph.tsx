// The page side of nn.graph: the model's architecture as an SVG, blocks collapsed until opened (+), laid out by
// elkjs off the main thread, with pan (drag) and zoom (buttons, Ctrl+wheel). Clicking a box selects the cell that
// built the model (or the block), as clicking into that cell would.
import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { GraphView } from '../../protocol';
import { elkGraph, initiallyExpanded, placed, visibleGraph, type GraphLayout } from './ArchitectureGraphLayout';
import { layoutWithElk } from './ArchitectureGraphElk';
import { GraphDrawing } from './ArchitectureGraphDrawing';
import { GraphPicture } from './ArchitectureGraphPicture';

const MAX_HEIGHT = 600;
const MIN_HEIGHT = 140;
const ZOOM_STEP = 1.25;
/** The first view shrinks a tall graph to fit, but not below this: smaller text would not read. */
const MIN_FIT_SCALE = 0.55;

interface Transform {
  x: number;
  y: number;
  k: number;
}

function fit(layout: GraphLayout, width: number): Transform {
  const k = Math.max(MIN_FIT_SCALE, Math.min(1, (width - 16) / Math.max(1, layout.width), (MAX_HEIGHT - 16) / Math.max(1, layout.height)));
  return { x: Math.max(8, (width - layout.width * k) / 2), y: 8, k };
}

/** Where node `id` is on screen under `t`. */
function screenAt(layout: GraphLayout, t: Transform, id: string): { x: number; y: number } | null {
  const n = layout.nodes.find((p) => p.visible.node.id === id);
  return n ? { x: t.x + n.x * t.k, y: t.y + n.y * t.k } : null;
}

/** Selects a cell the way clicking into it does (its section takes focus), and brings it into view. */
function selectCell(cellId: string): boolean {
  const section = document.querySelector<HTMLElement>(`section.cell[data-cell-id="${CSS.escape(cellId)}"]`);
  if (!section) return false;
  section.focus({ preventScroll: true });
  section.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  return true;
}

export function ArchitectureGraph({ view }: { view: GraphView }) {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => initiallyExpanded(view));
  const visible = useMemo(() => visibleGraph(view, expanded), [view, expanded]);
  const [layout, setLayout] = useState<GraphLayout | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [transform, setTransform] = useState<Transform | null>(null);
  const viewportRef = useRef<HTMLDivElement>(null);
  const uid = useId().replace(/[^a-zA-Z0-9_-]/g, '');
  // A block opened or closed stays where it was on screen when the new layout comes in.
  const anchor = useRef<{ id: string; x: number; y: number } | null>(null);
  const current = useRef<{ layout: GraphLayout | null; transform: Transform | null }>({ layout: null, transform: null });
  current.current = { layout, transform };

  useEffect(() => {
    let current = true;
    layoutWithElk(elkGraph(visible)).then(
      (laid) => {
        if (!current) return;
        performance.mark('convlab:graph-layout-ready');
        const next = placed(visible, laid);
        const keep = anchor.current;
        anchor.current = null;
        setLayout(next);
        setError(null);
        setTransform((t) => {
          const now = t && keep ? screenAt(next, t, keep.id) : null;
          return t && keep && now ? { ...t, x: t.x + keep.x - now.x, y: t.y + keep.y - now.y } : t;
        });
      },
      (err: unknown) => current && setError((err as Error)?.message ?? String(err)),
    );
    return () => {
      current = false;
    };
  }, [visible]);

  // The layout's main-thread cost: React's render and the SVG's commit, from the worker's answer on.
  useLayoutEffect(() => {
    if (!layout || performance.getEntriesByName('convlab:graph-layout-ready', 'mark').length === 0) return;
    performance.measure('convlab:graph-draw', 'convlab:graph-layout-ready');
    performance.clearMarks('convlab:graph-layout-ready');
  }, [layout]);

  // Fit the first layout to the width; later ones (a block opened) keep the learner's pan and zoom.
  useEffect(() => {
    if (layout && !transform) setTransform(fit(layout, viewportRef.current?.clientWidth || 600));
  }, [layout, transform]);

  const zoomBy = useCallback((factor: number, at?: { x: number; y: number }) => {
    setTransform((t) => {
      if (!t) return t;
      const k = Math.min(3, Math.max(0.1, t.k * factor));
      const px = at?.x ?? (viewportRef.current?.clientWidth ?? 0) / 2;
      const py = at?.y ?? (viewportRef.current?.clientHeight ?? 0) / 2;
      return { k, x: px - ((px - t.x) * k) / t.k, y: py - ((py - t.y) * k) / t.k };
    });
  }, []);

  // Ctrl/⌘ + wheel zooms at the pointer; a plain wheel scrolls the notebook as everywhere else on the page.
  useEffect(() => {
    const el = viewportRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      const box = el.getBoundingClientRect();
      zoomBy(e.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP, { x: e.clientX - box.left, y: e.clientY - box.top });
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [zoomBy]);

  const drag = useRef<{ x: number; y: number; tx: number; ty: number } | null>(null);
  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>) => {
    if (!transform || (e.target as Element).closest('[role="button"]')) return;
    drag.current = { x: e.clientX, y: e.clientY, tx: transform.x, ty: transform.y };
    e.currentTarget.setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: React.PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (d) setTransform((t) => (t ? { ...t, x: d.tx + e.clientX - d.x, y: d.ty + e.clientY - d.y } : t));
  };
  const endDrag = () => {
    drag.current = null;
  };

  const toggle = useCallback((id: string) => {
    const { layout: shown, transform: t } = current.current;
    const at = shown && t ? screenAt(shown, t, id) : null;
    anchor.current = at ? { id, ...at } : null;
    setExpanded((open) => {
      const next = new Set(open);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  }, []);

  const select = useCallback(
    (cellId: string | undefined, label: string) => {
      const target = cellId ?? view.cellId;
      if (!target) setNote(`Which cell built ${label} is not known (it was made before this page ran it).`);
      else if (!selectCell(target)) setNote(`The cell that built ${label} is no longer in this notebook.`);
      else setNote('');
    },
    [view.cellId],
  );

  const height = layout && transform ? Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, layout.height * transform.k + 16)) : MIN_HEIGHT;
  const state = error ? 'error' : layout ? 'ready' : 'pending';
  return (
    <figure className="arch-graph" role="region" aria-label="Architecture graph" data-layout={state} data-cell={view.cellId}>
      <figcaption className="arch-graph-caption">
        <span className="arch-graph-title">{view.title}</span>
        <span className="arch-graph-tools">
          <button type="button" onClick={() => zoomBy(ZOOM_STEP)} disabled={!transform}>Zoom in</button>
          <button type="button" onClick={() => zoomBy(1 / ZOOM_STEP)} disabled={!transform}>Zoom out</button>
          <button type="button" onClick={() => layout && setTransform(fit(layout, viewportRef.current?.clientWidth || 600))} disabled={!layout}>Fit</button>
        </span>
      </figcaption>
      <div
        ref={viewportRef}
        className="arch-graph-viewport"
        style={{ height }}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
      >
        {error ? (
          <p className="arch-graph-message">The graph could not be laid out: {error}</p>
        ) : layout && transform ? (
          <GraphDrawing layout={layout} transform={transform} uid={uid} onToggle={toggle} onSelect={select} />
        ) : (
          <p className="arch-graph-message">Laying out {view.nodes.length} nodes…</p>
        )}
      </div>
      <p className="arch-graph-legend">
        <span className="arch-key arch-key-sequence">main path</span>
        <span className="arch-key arch-key-add">residual add</span>
        <span className="arch-key arch-key-concat">concat</span>
        <span className="arch-key arch-key-join">fractal join</span>
        <span className="arch-graph-hint">Drag to pan, Ctrl+wheel to zoom, + opens a block; a click selects the cell that built it.</span>
      </p>
      <p className="arch-graph-note" aria-live="polite">{note}</p>
      {layout && <GraphPicture layout={layout} />}
    </figure>
  );
}
