// Sample and prediction grids: each image scaled up with hard pixel edges, its caption as page text under it, so
// captions stay sharp, wrap instead of being clipped, and take the theme's colours (no white slab in dark mode).
import type { CSSProperties } from 'react';
import type { ImageGridView } from '../../protocol';

export function ImageGridOutput({ grid }: { grid: ImageGridView }) {
  const columns = { '--grid-columns': grid.perRow, '--grid-image': `${grid.imageWidth}px` } as CSSProperties;
  return (
    <figure className="output-grid">
      {grid.title && <figcaption className="grid-title">{grid.title}</figcaption>}
      <ul className="grid-tiles" style={columns}>
        {grid.tiles.map((t, i) => (
          <li key={i} className={t.tone === 'wrong' ? 'grid-tile wrong' : t.tone === 'right' ? 'grid-tile right' : 'grid-tile'}>
            <img src={`data:image/png;base64,${t.png}`} width={grid.imageWidth} height={grid.imageHeight} alt={t.caption} />
            <span className="grid-caption" aria-hidden="true">
              {t.caption}
            </span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
