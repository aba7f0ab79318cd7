/** Runs `fn` once the browser has painted (two frames later), or after a short delay where frames never come (background tabs). */
export function afterFirstPaint(fn: () => void): () => void {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    fn();
  };
  const timer = setTimeout(run, 500);
  const frame = requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(run, 0)));
  return () => {
    done = true;
    clearTimeout(timer);
    cancelAnimationFrame(frame);
  };
}
