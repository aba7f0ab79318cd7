// Markdown source → sanitised HTML string: GitHub-flavoured markdown, TeX via KaTeX, then DOMPurify.

import { Marked } from 'marked';
import { mathExtension } from './math';
import { sanitizeMarkdownHtml } from './sanitize';

const marked = new Marked({ gfm: true, breaks: false }, mathExtension);

/** Unsanitised HTML; only for tests and for callers that sanitise themselves. */
export function markdownToUnsafeHtml(source: string): string {
  return marked.parse(source, { async: false }) as string;
}

export function renderMarkdown(source: string): string {
  return sanitizeMarkdownHtml(markdownToUnsafeHtml(source));
}
