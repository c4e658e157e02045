/**
 * HTML the API rendered from Markdown and sanitized (posts, comments, program steps): the one place it is inserted
 * into the page, so every Markdown text looks the same.
 */
export function RichText({ html }: { html: string }) {
  return <div className="rich-text" dangerouslySetInnerHTML={{ __html: html }} />;
}
