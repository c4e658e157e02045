import { AppError } from '../../lib/errors.ts';

/** sharp (libvips, ~35 MB resident) loads with the first image, not when the API starts. */
export const loadSharp = async () => (await import('sharp')).default;

const accepted = new Set(['jpeg', 'png', 'webp', 'gif', 'avif', 'tiff']);

export type ImageKind = 'logo' | 'background';
const boxes: Record<ImageKind, { width: number; height: number }> = {
  logo: { width: 512, height: 512 },
  background: { width: 2400, height: 1200 },
};

/**
 * Uploads are sniffed from their bytes (never trusted by name or declared type), then re-encoded to WebP:
 * resized into the kind's box, metadata stripped. Anything sharp cannot decode as an image is refused.
 */
export async function processImage(data: Buffer, kind: ImageKind) {
  const sharp = await loadSharp();
  let format: string | undefined;
  try {
    format = (await sharp(data).metadata()).format;
  } catch {
    format = undefined;
  }
  if (!format || !accepted.has(format)) {
    throw new AppError('unsupported_media_type', 'The file is not an image (JPEG, PNG, WebP, GIF, AVIF or TIFF).');
  }
  const box = boxes[kind];
  try {
    const { data: out, info } = await sharp(data, { limitInputPixels: 50_000_000 })
      .rotate()
      .resize({ width: box.width, height: box.height, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 85 })
      .toBuffer({ resolveWithObject: true });
    return { data: out, width: info.width, height: info.height, contentType: 'image/webp' };
  } catch {
    throw new AppError('unsupported_media_type', 'The image could not be decoded.');
  }
}
