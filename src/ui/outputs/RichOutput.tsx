// execute_result / display_data: one renderer, picked by MIME priority.
import { lazy, Suspense } from 'react';
import type { DownloadView, ImageGridView, PlotView, ProgressView, TableView, TensorView } from '../../protocol';
import { Markdown, SafeHtml } from '../markdown/Markdown';
import { asText, pickMime, stripAnsi } from './mime';
import { TensorOutput } from './TensorOutput';
import { TableOutput } from './TableOutput';
import { ProgressOutput } from './ProgressOutput';
import { DownloadOutput } from './DownloadOutput';
import { ImageGridOutput } from './ImageGridOutput';

// uPlot loads only when a notebook actually shows a plot.
const LinePlot = lazy(() => import('../../plots/views/LinePlot').then((m) => ({ default: m.LinePlot })));

export function RichOutput({ data }: { data: Record<string, unknown> }) {
  const mime = pickMime(data);
  const value = mime ? data[mime] : undefined;
  switch (mime) {
    case 'application/vnd.convlab.tensor+json':
      return <TensorOutput tensor={value as TensorView} />;
    case 'application/vnd.convlab.table+json':
      return <TableOutput table={value as TableView} />;
    case 'application/vnd.convlab.plot+json':
      return (
        <Suspense fallback={<div className="output-plot loading">{(value as PlotView).title}</div>}>
          <LinePlot view={value as PlotView} />
        </Suspense>
      );
    case 'application/vnd.convlab.progress+json':
      return <ProgressOutput progress={value as ProgressView} />;
    case 'application/vnd.convlab.download+json':
      return <DownloadOutput download={value as DownloadView} />;
    case 'application/vnd.convlab.image-grid+json':
      return <ImageGridOutput grid={value as ImageGridView} />;
    case 'image/png':
      return <img className="output-image" alt={typeof data['text/plain'] === 'string' ? (data['text/plain'] as string) : 'image output'} src={`data:image/png;base64,${asText(value).replace(/\s/g, '')}`} />;
    case 'text/html':
      return <SafeHtml html={asText(value)} className="output-html" />;
    case 'text/markdown':
      return <Markdown source={asText(value)} className="output-markdown" />;
    case 'application/json':
      return <pre className="output-text">{JSON.stringify(value, null, 2)}</pre>;
    case 'text/plain':
      return <pre className="output-text">{stripAnsi(asText(value))}</pre>;
    default:
      return <pre className="output-text muted">(output in a format this page cannot show: {Object.keys(data).join(', ') || 'empty'})</pre>;
  }
}
