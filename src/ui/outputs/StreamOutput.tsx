import { LongText } from './LongText';

/** stdout / stderr; long text is drawn as a preview with the whole of it downloadable. */
export function StreamOutput({ name, text }: { name: 'stdout' | 'stderr'; text: string }) {
  return <LongText text={text} className={`output-stream output-${name}`} fileName={`${name}.txt`} />;
}
