import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../src/modules/posts/markdown.ts';

/** Post rendering stays bounded whatever the body (the largest a post may be is 20,000 characters). */
describe('Markdown rendering of hostile bodies', () => {
  it('caps nesting instead of recursing until the stack overflows, keeping the text', () => {
    for (const body of ['>'.repeat(20_000) + ' end', '> '.repeat(10_000) + 'end', '- '.repeat(10_000) + 'end']) {
      const html = renderMarkdown(body);
      expect(html).toContain('end');
      expect((html.match(/<blockquote>|<ul>/g) ?? []).length).toBeLessThanOrEqual(16);
    }
    // Ordinary nesting is untouched.
    expect(renderMarkdown('> a\n>> b')).toMatch(/<blockquote>\s*<p>a<\/p>\s*<blockquote>\s*<p>b<\/p>/);
  });

  it('does not let a table expand a small body into megabytes', () => {
    const bomb = '|' + 'a|'.repeat(800) + '\n|' + '-|'.repeat(800) + '\n' + '|\n'.repeat(1200);
    const html = renderMarkdown(bomb);
    expect(html.length).toBeLessThan(bomb.length * 4);
    expect(html).not.toContain('<table>');
    // Ordinary tables still render.
    expect(renderMarkdown('| a | b |\n|---|:-:|\n| 1 | 2 |')).toContain('<td align="center">2</td>');
  });

  it('keeps horizontal rules and long dashes', () => {
    expect(renderMarkdown('-'.repeat(20_000)).trim()).toBe('<hr />');
  });
});
