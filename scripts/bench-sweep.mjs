// The shape sweep of `npm run bench` (issue 13): every distinct convolution of the lesson models, forward, input
// gradient and filter gradient, ours vs stock, in one page so both sides compile once; plus the adapter's FMA
// ceiling from the same page. Returns the markdown of the "## Shape sweep" section; nothing is asserted.

const DIRECTIONS = ['forward', 'inputGradient', 'filterGradient'];
const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const geomean = (xs) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);

/**
 * page: a harness.html page whose window.harness is ready. batches: the batch sizes to sweep (the first is the
 * main one; the others run on the three most-used shapes only, to keep the run short). log: progress lines.
 */
export async function shapeSweep(page, { batches, calls, rounds, log }) {
  const ceiling = await page.evaluate(() => window.harness.sweep.fmaCeiling());
  log(`FMA ceiling ${fmt(ceiling, 2)} GFLOP/s`);
  const shapes = await page.evaluate(() => window.harness.sweep.lessonConvShapes());
  log(`${shapes.length} distinct conv shapes`);
  const byUse = [...shapes].sort((a, b) => Object.values(b.usedBy).reduce((x, y) => x + y, 0) - Object.values(a.usedBy).reduce((x, y) => x + y, 0));
  const rows = [];
  const speedUps = Object.fromEntries(DIRECTIONS.map((d) => [d, []]));
  let best = 0;
  for (const [i, batch] of batches.entries()) {
    for (const shape of i === 0 ? shapes : byUse.slice(0, 3)) {
      const cells = [];
      for (const direction of DIRECTIONS) {
        const [stock, ours, flops] = await page.evaluate(async ([s, d, b, c, r]) => {
          const h = window.harness.sweep;
          return [await h.timeConv(s, d, 'stock', b, c, r), await h.timeConv(s, d, 'convlab', b, c, r), h.convFlops(s, b)];
        }, [shape, direction, batch, calls, rounds]);
        const gflops = flops / (ours * 1e6);
        best = Math.max(best, gflops);
        if (i === 0) speedUps[direction].push(stock / ours);
        cells.push(`${fmt(stock, 1)} / ${fmt(ours, 1)} ms **${fmt(stock / ours, 1)}×** (${fmt((100 * gflops) / ceiling, 0)}%)`);
        log(batch, shape.key, direction, `stock ${fmt(stock, 2)} ms, ours ${fmt(ours, 2)} ms`);
      }
      const used = Object.entries(shape.usedBy).map(([m, n]) => `${m} ×${n}`).join(', ');
      rows.push(`| ${batch} | ${shape.key} | ${used} | ${cells.join(' | ')} |`);
    }
  }
  const means = DIRECTIONS.map((d) => `${d} **${fmt(geomean(speedUps[d]), 2)}×**`).join(', ');
  return `Adapter FMA ceiling, measured in the same page: **${fmt(ceiling, 2)} GFLOP/s** (a pure-register WGSL loop of
vec4 FMAs, 65,536 threads). Each cell: stock / ours wall time per call (median of ${rounds} rounds of ${calls} queued calls,
after a warm-up call), the speed-up, and in brackets our kernel as a fraction of the FMA ceiling. Best conv reached:
**${fmt(best, 2)} GFLOP/s = ${fmt((100 * best) / ceiling, 0)}% of the ceiling**. Geometric mean of the speed-ups over
every shape at batch ${batches[0]}: ${means}. Shapes: every Conv2D of the benchmark's 28×28×1 DenseNet and ResNet-18
(d2l's architectures with a 3×3 stem, src/harness/models.ts) and of the Fashion-MNIST lesson's CNN, as nn.summary traces them (H×W×Cin→Cout, kernel/stride, padding); the other batches run
on the three most-used shapes.

| batch | shape | used by | forward | input gradient | filter gradient |
|---|---|---|---|---|---|
${rows.join('\n')}`;
}
