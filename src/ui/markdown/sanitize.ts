// Everything the page shows as HTML passes through here. Notebook files are untrusted (imported, or
// produced by cells), so the result must be inert: no scripts, no event handlers, no javascript: URLs,
// no forms or frames. KaTeX's markup (spans with inline styles, MathML) is allowed through.

import DOMPurify from 'dompurify';

const FORBID_TAGS = ['script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'form', 'input', 'button', 'textarea', 'select', 'option', 'base', 'meta', 'link'];
const FORBID_ATTR = ['srcdoc', 'formaction', 'action', 'ping'];

const UNSAFE_STYLE = /url\s*\(|expression\s*\(|javascript:|behavior\s*:|-moz-binding|@import/i;

let hooked = false;
function installHooks(): void {
  if (hooked) return;
  hooked = true;
  // Links leave the notebook in a new tab, without handing it window.opener.
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    // Inline styles stay (KaTeX lays formulas out with them) unless they load or evaluate anything: url() reaches
    // out (a tracking beacon, a javascript: URL in old engines), expression() and behavior ran script in old IE.
    if (node instanceof Element && UNSAFE_STYLE.test(node.getAttribute('style') ?? '')) node.removeAttribute('style');
    if (node instanceof Element && node.tagName === 'A' && node.hasAttribute('href')) {
      const href = node.getAttribute('href') ?? '';
      if (!href.startsWith('#')) {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
      }
    }
  });
}

/** For text/html outputs: an inert fragment as an HTML string. */
export function sanitizeHtml(html: string): string {
  installHooks();
  return DOMPurify.sanitize(html, { FORBID_TAGS, FORBID_ATTR, ALLOW_DATA_ATTR: false });
}

/** For rendered markdown: as sanitizeHtml, plus the MathML annotation KaTeX emits for screen readers and copy. */
export function sanitizeMarkdownHtml(html: string): string {
  installHooks();
  return DOMPurify.sanitize(html, { FORBID_TAGS, FORBID_ATTR, ALLOW_DATA_ATTR: false, ADD_TAGS: ['semantics', 'annotation'], ADD_ATTR: ['encoding'] });
}
