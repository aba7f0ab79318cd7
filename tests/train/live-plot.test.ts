import { describe, expect, it } from 'vitest';
import { LivePlot } from '../../src/plots/live-plot';
import type { MimeBundle, PlotView } from '../../src/protocol';

function fakeSink() {
  const displays: PlotView[] = [];
  const updates: PlotView[] = [];
  return {
    displays, updates,
    sink: {
      display: (d: MimeBundle) => { displays.push(d['application/vnd.convlab.plot+json']!); return 'plot-1'; },
      updateDisplay: (id: string, d: MimeBundle) => { expect(id).toBe('plot-1'); updates.push(d['application/vnd.convlab.plot+json']!); },
    },
  };
}

describe('LivePlot throttling (fake clock)', () => {
  it('sends at most one update per 100 ms, appending the rows gathered in between', () => {
    const { displays, updates, sink } = fakeSink();
    let now = 0;
    const plot = new LivePlot({ title: 'loss', xLabel: 'step', series: [{ label: 'loss' }], sink, clock: () => now });
    plot.show();
    expect(displays).toHaveLength(1);
    expect(displays[0].rows).toEqual([]);
    for (let i = 1; i <= 50; i++) { now += 7; plot.add([i, 1 / i]); } // 350 ms of points every 7 ms
    expect(updates.length).toBe(3);
    for (const u of updates) expect(u.append).toBe(true);
    plot.flush();
    const sent = updates.flatMap((u) => u.rows);
    expect(sent).toEqual(Array.from({ length: 50 }, (_, k) => [k + 1, 1 / (k + 1)]));
    expect(plot.rows).toHaveLength(50);
    plot.flush();
    expect(updates.length).toBe(4); // nothing pending: no empty update
  });

  it('slow producers get every point sent at once', () => {
    const { updates, sink } = fakeSink();
    let now = 0;
    const plot = new LivePlot({ title: 't', xLabel: 'x', series: [{ label: 'a' }], sink, clock: () => now });
    plot.show();
    for (let i = 0; i < 5; i++) { now += 150; plot.add([i, i]); }
    expect(updates.map((u) => u.rows.length)).toEqual([1, 1, 1, 1, 1]);
  });

  it('the first add displays the plot when show() was not called, and rows must match the series', () => {
    const { displays, sink } = fakeSink();
    const plot = new LivePlot({ title: 't', xLabel: 'x', series: [{ label: 'a' }, { label: 'b', axis: 'y2' }], sink, clock: () => 0 });
    plot.add([0, 1, null]);
    expect(displays).toHaveLength(1);
    expect(displays[0].rows).toEqual([[0, 1, null]]);
    expect(() => plot.add([1, 2])).toThrow(/needs 3 values/);
  });

  it('without a cell (null sink) it still records rows', () => {
    const plot = new LivePlot({ title: 't', xLabel: 'x', series: [{ label: 'a' }], sink: null });
    plot.add([0, 1]);
    plot.flush();
    expect(plot.toMimeBundle()['application/vnd.convlab.plot+json']!.rows).toEqual([[0, 1]]);
  });
});
