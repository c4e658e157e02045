import { create } from 'content-disposition';

/**
 * The Content-Disposition of a download (RFC 6266): `filename` in ASCII for old clients and `filename*` in UTF-8
 * (RFC 8187) for any other name, so `日本.png` or `Отчёт.pdf` leave as they came. Control and format characters,
 * quotes, slashes and lone surrogates never reach the header.
 */
export function contentDisposition(type: 'attachment' | 'inline', name: string | null | undefined, fallback: string): string {
  const clean = (name ?? '')
    .replace(/[\p{Cc}\p{Cf}\p{Cs}"\\/]/gu, '_')
    .trim()
    .slice(0, 255);
  return create(clean || fallback, { type });
}
