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

  it('shows a block’s emphasis markers as typed past 200 of them, instead of matching each against the rest', () => {
    for (const body of ['_a'.repeat(10_000), '*'.repeat(10_000) + 'a' + '*'.repeat(9_999), '**_~'.repeat(5_000)]) {
      const html = renderMarkdown(body);
      expect(html).not.toMatch(/<em>|<strong>|<del>/);
      expect(html.replace(/<\/?p>|\s/g, '')).toBe(body); // every marker shown, none doubled by its escape
    }
    // Only that block: the others, code spans in it, list markers and rules keep their meaning.
    const html = renderMarkdown(`${'*x '.repeat(300)} \`a*b_c\`\n\n**fine** and _this_\n\n${'* item\n'.repeat(300)}\n***`);
    expect(html).toContain('<code>a*b_c</code>');
    expect(html).toContain('<strong>fine</strong> and <em>this</em>');
    expect(html.match(/<li>item<\/li>/g)).toHaveLength(300);
    expect(html).toContain('<hr />');
    expect(html).not.toContain('\\');
  });
});
