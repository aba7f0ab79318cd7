// Rendered markdown for markdown cells and text/markdown outputs, and inert HTML for text/html outputs.

import { useMemo } from 'react';
import 'katex/dist/katex.min.css';
import './markdown.css';
import { renderMarkdown } from './render';
import { sanitizeHtml } from './sanitize';

export interface MarkdownProps {
  source: string;
  className?: string;
  onDoubleClick?: () => void;
}

export function Markdown({ source, className, onDoubleClick }: MarkdownProps) {
  const html = useMemo(() => renderMarkdown(source), [source]);
  return <div className={className ? `markdown ${className}` : 'markdown'} onDoubleClick={onDoubleClick} dangerouslySetInnerHTML={{ __html: html }} />;
}

export interface SafeHtmlProps {
  html: string;
  className?: string;
}

/** A text/html output, sanitised: scripts in it never run. */
export function SafeHtml({ html, className }: SafeHtmlProps) {
  const clean = useMemo(() => sanitizeHtml(html), [html]);
  return <div className={className ? `html-output ${className}` : 'html-output'} dangerouslySetInnerHTML={{ __html: clean }} />;
}

export { renderMarkdown } from './render';
export { sanitizeHtml } from './sanitize';
