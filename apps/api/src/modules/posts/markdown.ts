import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { escapeHtml } from '../../lib/html.ts';

const marked = new Marked({ gfm: true, breaks: true, async: false });
/** For bodies whose GFM tables would explode (see below): tables stay text, the rest renders as Markdown. */
const plainMarked = new Marked({ gfm: false, breaks: true, async: false });

/** Block quotes (and lists) nest at most this deep; deeper markers are kept as text. */
const MAX_NESTING = 16;
/** A table renders every row padded to its header's width: more cells than this and tables are not rendered. */
const MAX_TABLE_CELLS = 10_000;
/**
 * Emphasis markers (`*`, `_`, `~`) per block beyond which the block's markers are shown as typed: marked matches each
 * one against the rest of its block, so the cost grows with their number times the block's length (20,000
 * characters of `_a` took 0.4 s; with the markers escaped, 3 ms).
 */
const MAX_DELIMITERS = 200;

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'hr', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote',
    'ul', 'ol', 'li', 'a', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
  ],
  allowedAttributes: { a: ['href', 'title', 'rel', 'target'], th: ['align'], td: ['align'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  // Headings in a post never outrank the page's own.
  transformTags: {
    h1: 'h3',
    h2: 'h4',
    a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener noreferrer', target: '_blank' }),
  },
  disallowedTagsMode: 'escape',
};

/**
 * Markdown to HTML that is safe to insert into a page: no script, no event handler, no javascript: URL. Bounded
 * whatever the input: nesting is capped before parsing (the parser recurses per level), so are emphasis markers per
 * block, a body whose tables would expand into more than MAX_TABLE_CELLS cells is rendered without tables, and
 * should the parser still fail the text is shown as escaped paragraphs rather than refused.
 */
export function renderMarkdown(markdown: string): string {
  return sanitizeHtml(parse(markdown), sanitizeOptions);
}

/**
 * The words of a Markdown body as plain text, for notification excerpts and mails: markup gone, punctuation kept
 * ("follow-up", "Hello team!"), link texts kept and their addresses dropped, blocks separated by a space.
 */
export function markdownToText(markdown: string): string {
  const html = parse(markdown).replace(/<\/(?:p|li|h[1-6]|blockquote|pre|tr|th|td)>|<br\s*\/?>|<hr\s*\/?>/gi, '$& ');
  const text = sanitizeHtml(html, { allowedTags: [], allowedAttributes: {}, disallowedTagsMode: 'discard' });
  return decodeEscaped(text).replace(/\s+/g, ' ').trim();
}

/** sanitize-html escapes these four in the text it returns; the excerpt is plain text, not HTML. */
const decodeEscaped = (text: string) =>
  text.replace(/&(amp|lt|gt|quot);/g, (_m, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"' })[name]!);

/** Markdown to (unsanitized) HTML, bounded whatever the input (see renderMarkdown). */
function parse(markdown: string): string {
  const text = capDelimiters(capNesting(markdown));
  try {
    return (tableCells(text) > MAX_TABLE_CELLS ? plainMarked : marked).parse(text) as string;
  } catch {
    return text
      .split(/\n{2,}/)
      .map((block) => `<p>${escapeHtml(block).replace(/\n/g, '<br>')}</p>`)
      .join('\n');
  }
}

/** Keeps at most MAX_NESTING leading quote/list markers on each line; the rest stays as literal text. */
function capNesting(markdown: string): string {
  const marker = String.raw`[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))`;
  const deep = new RegExp(`^((?:${marker}){${MAX_NESTING}})((?:${marker})+)`, 'gm');
  return markdown.replace(deep, (_all, kept: string, extra: string) => kept + extra.replace(/[>*+\-.)]/g, (c) => `\\${c}`));
}

/**
 * In a block (text between blank lines) with more than MAX_DELIMITERS emphasis markers, escapes them so that they
 * show as typed. Code spans and fences, list markers, thematic breaks (`***`) and markers already escaped are left
 * alone, and so is every block under the cap.
 */
function capDelimiters(markdown: string): string {
  return markdown
    .split(/(\n[ \t]*\n)/)
    .map((block, i) => (i % 2 === 1 ? block : escapeDelimiters(block)))
    .join('');
}

function escapeDelimiters(block: string): string {
  // Most blocks have few markers at all: nothing to look at more closely.
  if ((block.match(/[*_~]/g)?.length ?? 0) <= MAX_DELIMITERS) return block;
  let count = 0;
  const escapeText = (text: string) =>
    text.replace(/^([ \t]*(?:>[ \t]*)*(?:[*+-][ \t]+)?)(.*)$/gm, (line, lead: string, rest: string) =>
      /^[ \t]*([*_-])(?:[ \t]*\1){2,}[ \t]*$/.test(line)
        ? line
        : lead + rest.replace(/\\[\s\S]|[*_~]/g, (m) => (m.length === 2 ? m : (count++, `\\${m}`))),
    );
  let escaped = '';
  let from = 0;
  for (const code of block.matchAll(/(`+)[\s\S]*?\1/g)) {
    escaped += escapeText(block.slice(from, code.index)) + code[0];
    from = code.index + code[0].length;
  }
  escaped += escapeText(block.slice(from));
  return count > MAX_DELIMITERS ? escaped : block;
}

/** The cells GFM would render for the tables of a body: per delimiter row, its columns times its table's rows. */
function tableCells(markdown: string): number {
  const lines = markdown.split('\n');
  let cells = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (!/^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/.test(line) || !line.includes('-')) continue;
    const columns = Math.max(1, line.split('|').filter((c) => c.trim()).length);
    let rows = 2;
    while (i + 1 < lines.length && lines[i + 1]!.trim() !== '') {
      rows++;
      i++;
    }
    cells += columns * rows;
  }
  return cells;
}
