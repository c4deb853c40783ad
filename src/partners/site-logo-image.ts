import sharp from 'sharp';

/** The largest upload read; anything longer is refused before it is decoded. */
export const LOGO_MAX_BYTES = 2 * 1024 * 1024;
/** The box a logo is fitted into: a header shows it 40 px tall, emails too, at up to 3x. */
const MAX_WIDTH = 400;
const MAX_HEIGHT = 120;
/** Decoding a bomb of a PNG could take a process's memory: nothing larger is even opened. */
const MAX_INPUT_PIXELS = 25_000_000;
/** Raster formats a logo may arrive in, by what its bytes say; never SVG (it can carry script). */
const ACCEPTED = new Set(['png', 'jpeg', 'webp']);

export type PreparedLogo =
  { ok: true; png: Buffer; width: number; height: number } | { ok: false; message: string };

/**
 * Reads an upload by its content and re-encodes it as a PNG fitted into 400x120: whatever else
 * the file carried (metadata, trailing bytes, a second image) is left behind. PNG because mail
 * clients that show no WebP or SVG all show PNG.
 */
export async function prepareLogo(upload: Buffer, tooBig: boolean): Promise<PreparedLogo> {
  if (tooBig) return { ok: false, message: 'Logo: the file is larger than 2 MB' };
  if (upload.length === 0) return { ok: false, message: 'Logo: choose an image file' };
  let format: string | undefined;
  try {
    format = (await sharp(upload, { limitInputPixels: MAX_INPUT_PIXELS }).metadata()).format;
  } catch {
    format = undefined;
  }
  if (!format || !ACCEPTED.has(format)) {
    return { ok: false, message: 'Logo: only PNG, JPEG or WebP images (SVG is not accepted)' };
  }
  try {
    const { data, info } = await sharp(upload, { limitInputPixels: MAX_INPUT_PIXELS })
      .rotate()
      .resize({ width: MAX_WIDTH, height: MAX_HEIGHT, fit: 'inside', withoutEnlargement: true })
      .png({ compressionLevel: 9 })
      .toBuffer({ resolveWithObject: true });
    return { ok: true, png: data, width: info.width, height: info.height };
  } catch {
    return { ok: false, message: 'Logo: the image could not be read' };
  }
}
