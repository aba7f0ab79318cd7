// execute_result / display_data: one renderer, picked by MIME priority.
import { lazy, Suspense } from 'react';
import type { DownloadView, FeatureMapsView, GraphView, HeatmapView, ImageGridView, PlotView, ProgressView, ShapePlotView, TableView, TensorView } from '../../protocol';
import { Markdown, SafeHtml } from '../markdown/Markdown';
import { asText, pickMime } from './mime';
import { TensorOutput } from './TensorOutput';
import { TableOutput } from './TableOutput';
import { ProgressOutput } from './ProgressOutput';
import { DownloadOutput } from './DownloadOutput';
import { ImageGridOutput } from './ImageGridOutput';
import { FeatureMapsOutput } from './FeatureMapsOutput';
import { HeatmapOutput } from './HeatmapOutput';
import { LongText } from './LongText';

// uPlot loads only when a notebook actually shows a plot.
const LinePlot = lazy(() => import('../../plots/views/LinePlot').then((m) => ({ default: m.LinePlot })));
const ShapePlot = lazy(() => import('../../plots/views/ShapePlot').then((m) => ({ default: m.ShapePlot })));
// elkjs and its worker load only with the first architecture graph.
const ArchitectureGraph = lazy(() => import('../../plots/views/ArchitectureGraph').then((m) => ({ default: m.ArchitectureGraph })));

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
    case 'application/vnd.convlab.feature-maps+json':
      return <FeatureMapsOutput view={value as FeatureMapsView} />;
    case 'application/vnd.convlab.heatmap+json':
      return <HeatmapOutput view={value as HeatmapView} />;
    case 'application/vnd.convlab.shape-plot+json':
      return (
        <Suspense fallback={<div className="output-plot loading">{(value as ShapePlotView).title}</div>}>
          <ShapePlot view={value as ShapePlotView} />
        </Suspense>
      );
    case 'application/vnd.convlab.graph+json':
      return (
        <Suspense fallback={<div className="output-plot loading">{(value as GraphView).title}</div>}>
          <ArchitectureGraph view={value as GraphView} />
        </Suspense>
      );
    case 'image/png':
      return <img className="output-image" alt={typeof data['text/plain'] === 'string' ? (data['text/plain'] as string).slice(0, 500) : 'image output'} src={`data:image/png;base64,${asText(value).replace(/\s/g, '')}`} />;
    case 'text/html':
      return <SafeHtml html={asText(value)} className="output-html" />;
    case 'text/markdown':
      return <Markdown source={asText(value)} className="output-markdown" />;
    case 'application/json':
      return <LongText text={JSON.stringify(value, null, 2)} className="output-text" fileName="output.json" />;
    case 'text/plain':
      return <LongText text={asText(value)} className="output-text" fileName="output.txt" />;
    default:
      return <pre className="output-text muted">(output in a format this page cannot show: {Object.keys(data).join(', ') || 'empty'})</pre>;
  }
}
