import type { TableView } from '../../protocol';

function heatRange(rows: TableView['rows']): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const row of rows) {
    for (const v of row) {
      if (typeof v === 'number' && Number.isFinite(v)) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
  }
  return [min, max];
}

function formatCell(v: string | number): string {
  if (typeof v !== 'number') return v;
  return Number.isInteger(v) ? v.toLocaleString() : v.toPrecision(4);
}

/** Model summaries (indent = nesting) and confusion matrices (heatmap). */
export function TableOutput({ table }: { table: TableView }) {
  const totals = new Set(table.totalRows ?? []);
  const [min, max] = table.heatmap ? heatRange(table.rows) : [0, 0];
  const heat = (v: string | number): React.CSSProperties | undefined => {
    if (!table.heatmap || typeof v !== 'number' || !(max > min)) return undefined;
    const share = Math.round(((v - min) / (max - min)) * 85);
    return { backgroundColor: `color-mix(in srgb, var(--heat) ${share}%, transparent)` };
  };
  return (
    <div className="output-table-wrap">
      <table className={table.heatmap ? 'output-table heatmap' : 'output-table'}>
        {table.caption && <caption>{table.caption}</caption>}
        <thead>
          <tr>
            {table.columns.map((c, i) => (
              <th key={i} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, r) => (
            <tr key={r} className={totals.has(r) ? 'total' : undefined}>
              {row.map((v, c) => (
                <td
                  key={c}
                  className={typeof v === 'number' ? 'num' : undefined}
                  style={{ ...heat(v), ...(c === 0 && table.indent?.[r] ? { paddingLeft: `${0.5 + table.indent[r] * 1.25}rem` } : {}) }}
                >
                  {formatCell(v)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
