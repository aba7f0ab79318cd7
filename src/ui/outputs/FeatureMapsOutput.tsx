// nn.featureMaps and nn.filters on the page: each tile's grey bytes drawn into a canvas of the data's own size
// (ImageData, no image decoding) and scaled up with hard pixel edges; labels in the theme's colours, a frame so
// that an all-black tile still reads as a tile on the dark theme.
import { useEffect, useRef, type CSSProperties } from 'react';
import type { FeatureMapsView } from '../../protocol';
import './inspect-views.css';

/** base64 → bytes (atob gives one char per byte). */
export function decodeBase64(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function GreyTile({ grey, width, height, label }: { grey: string; width: number; height: number; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const bytes = decodeBase64(grey);
    const image = ctx.createImageData(width, height);
    for (let i = 0, j = 0; i < bytes.length && j < image.data.length; i++, j += 4) {
      image.data[j] = image.data[j + 1] = image.data[j + 2] = bytes[i];
      image.data[j + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
  }, [grey, width, height]);
  return <canvas ref={ref} className="feature-canvas" width={width} height={height} role="img" aria-label={label} />;
}

export function FeatureMapsOutput({ view }: { view: FeatureMapsView }) {
  const name = view.kind === 'filters' ? 'Filters' : 'Feature maps';
  const aspect = view.tileHeight / Math.max(1, view.tileWidth);
  const size = { '--tile-width': `${view.displaySize}px`, '--tile-height': `${Math.round(view.displaySize * aspect)}px` } as CSSProperties;
  return (
    <section className="output-feature-maps" aria-label={name} data-tiles={view.tiles.length}>
      <p className="inspect-title">{view.title}</p>
      <ul className="feature-tiles" style={size}>
        {view.tiles.map((t, i) => (
          <li key={i} className="feature-tile" title={`${t.label}: black ${t.min.toPrecision(3)}, white ${t.max.toPrecision(3)}`}>
            <GreyTile grey={t.grey} width={view.tileWidth} height={view.tileHeight} label={t.label} />
            <span className="feature-label" aria-hidden="true">{t.label}</span>
          </li>
        ))}
      </ul>
      {view.note && <p className="inspect-note">{view.note}</p>}
    </section>
  );
}
