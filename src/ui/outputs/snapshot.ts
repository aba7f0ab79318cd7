// PNG snapshots of outputs the page draws itself (uPlot plots on a canvas), so an exported notebook shows
// the learner's curves in Jupyter too. Read from the DOM at export time: the canvas is the only copy.

/** Base64 PNG (no data: prefix) of the canvas in cell `cellId`'s output `outputIndex`, if it has one. */
export function outputSnapshot(cellId: string, outputIndex: number, root: ParentNode = document): string | undefined {
  const selector = `[data-cell-id="${CSS.escape(cellId)}"] .output[data-output-index="${outputIndex}"] canvas`;
  const canvas = root.querySelector<HTMLCanvasElement>(selector);
  if (!canvas || canvas.width === 0 || canvas.height === 0) return undefined;
  try {
    return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
  } catch {
    // A tainted or lost canvas: export the data without the picture rather than fail the export.
    return undefined;
  }
}
