// A uPlot chart that follows its host's width (the notebook column resizes with the window and the sidebar).
import type uPlot from 'uplot';

/** Resizes `plot` to the host's width whenever it changes; returns the function that stops following. */
export function followWidth(plot: uPlot, host: HTMLElement, height: number): () => void {
  const resize = new ResizeObserver(() => {
    const width = host.clientWidth;
    if (width > 0 && width !== plot.width) plot.setSize({ width, height });
  });
  resize.observe(host);
  return () => resize.disconnect();
}
