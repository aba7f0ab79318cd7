import { describe, expect, it } from 'vitest';
import { asText, pickMime, stripAnsi } from '../../src/ui/outputs/mime';

describe('pickMime', () => {
  it('prefers ConvLab views, then images and HTML, then plain text', () => {
    expect(pickMime({ 'text/plain': 't', 'application/vnd.convlab.tensor+json': {} })).toBe('application/vnd.convlab.tensor+json');
    expect(pickMime({ 'text/plain': 't', 'text/html': '<b>' })).toBe('text/html');
    expect(pickMime({ 'text/plain': 't', 'image/png': 'AAA', 'text/html': '<b>' })).toBe('image/png');
    expect(pickMime({ 'text/plain': 't' })).toBe('text/plain');
    // A sample grid shows its captions as page text; its one-picture PNG is for Jupyter.
    expect(pickMime({ 'text/plain': 't', 'image/png': 'AAA', 'application/vnd.convlab.image-grid+json': { tiles: [] } })).toBe('application/vnd.convlab.image-grid+json');
    expect(pickMime({ 'application/x-unknown': 1 })).toBeNull();
  });
});

describe('text helpers', () => {
  it('joins ipynb line arrays and strips ANSI colours', () => {
    expect(asText(['a\n', 'b'])).toBe('a\nb');
    expect(stripAnsi('\u001b[0;31mValueError\u001b[0m: bad')).toBe('ValueError: bad');
  });
});
