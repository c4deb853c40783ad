import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp, { type Metadata, type Sharp } from 'sharp';
import type { AppConfig } from '../../config/app-config.js';
import { decodeHeic } from './heic-decoder.js';
import { APP_CONFIG } from '../../config/config.module.js';

/** The widths a photo is kept at: the card on a large screen, and on a phone or in a preview. */
export const PHOTO_WIDTHS = [1200, 600] as const;
export type PhotoWidth = (typeof PHOTO_WIDTHS)[number];

/** What a photo may be, by what its bytes say, never by its name or the browser's word. */
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'heif']);
/** Decoding a bomb of a PNG could take a process's memory: nothing larger is even opened. */
const MAX_INPUT_PIXELS = 50_000_000;
/** Photos processed at once per process; the rest wait, so uploads cannot starve the pages. */
const CONCURRENT = 2;
const JPEG = { quality: 82, mozjpeg: true } as const;
const ID = /^[A-Za-z0-9_-]{43}$/;

export type PreparedPhoto =
  { ok: true; jpeg: Buffer; size: PhotoSize } | { ok: false; reason: 'type' | 'unreadable' };

/** A photo's pixels, which a page reserves before the photo arrives. */
export interface PhotoSize {
  width: number;
  height: number;
}

/**
 * Senders' own photos. An upload is read by its content, turned upright and re-encoded as a
 * JPEG (which drops its EXIF, GPS and any other metadata, and anything hidden after the image)
 * before anything else sees it. Saved photos live in SENDER_PHOTO_DIR, outside the web root,
 * under 256-bit random names; the platform serves them only through a greeting's pickup link.
 */
@Injectable()
export class SenderPhotoStore {
  private readonly logger = new Logger('SenderPhotos');
  private readonly dir: string;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.dir = config.senderPhotos.dir;
  }

  /**
   * The photo as it will be kept: upright, at most the largest width, a metadata-free JPEG.
   * Refused when its bytes are not a JPEG, PNG, WebP or HEIC/HEIF image, or cannot be decoded
   * (a truncated file, a codec neither decoder has).
   */
  async prepare(upload: Buffer): Promise<PreparedPhoto> {
    return this.bounded(async () => {
      let meta: Metadata;
      try {
        meta = await sharp(upload, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
      } catch {
        return { ok: false, reason: 'type' };
      }
      if (!meta.format || !ACCEPTED_FORMATS.has(meta.format)) return { ok: false, reason: 'type' };
      try {
        return await this.reencode(sharp(upload, { limitInputPixels: MAX_INPUT_PIXELS }));
      } catch {
        // HEVC inside HEIF, which the image library's build cannot decode: libheif's own, once
        // the header says its pixels are within bounds.
        if (meta.format !== 'heif' || (meta.width ?? 0) * (meta.height ?? 0) > MAX_INPUT_PIXELS) {
          return { ok: false, reason: 'unreadable' };
        }
      }
      try {
        const { width, height, pixels } = await decodeHeic(upload);
        return await this.reencode(sharp(pixels, { raw: { width, height, channels: 4 } }));
      } catch {
        return { ok: false, reason: 'unreadable' };
      }
    });
  }

  /** Upright, within the largest width, on white, as a JPEG without metadata. */
  private async reencode(image: Sharp): Promise<PreparedPhoto> {
    const { data, info } = await image
      .rotate()
      .resize({
        width: PHOTO_WIDTHS[0],
        height: PHOTO_WIDTHS[0],
        fit: 'inside',
        withoutEnlargement: true,
      })
      .flatten({ background: '#ffffff' })
      .jpeg(JPEG)
      .toBuffer({ resolveWithObject: true });
    return { ok: true, jpeg: data, size: { width: info.width, height: info.height } };
  }

  /**
   * Keeps a prepared photo at every width and returns its id. The files are written under a
   * temporary name and renamed, so a reader never finds half a photo.
   */
  async save(prepared: Buffer): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const sizes = await this.bounded(() =>
      Promise.all(
        PHOTO_WIDTHS.map(async (width) => ({
          width,
          bytes: await sharp(prepared)
            .resize({ width, height: width, fit: 'inside', withoutEnlargement: true })
            .jpeg(JPEG)
            .toBuffer(),
        })),
      ),
    );
    for (const { width, bytes } of sizes) {
      const path = this.pathOf(id, width);
      await writeFile(`${path}.part`, bytes, { mode: 0o600 });
      await rename(`${path}.part`, path);
    }
    return id;
  }

  /** The photo at a width, or null when it is gone (erased at retention) or the id is not one. */
  async read(id: string, width: PhotoWidth): Promise<Buffer | null> {
    if (!ID.test(id)) return null;
    try {
      return await readFile(this.pathOf(id, width));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /**
   * The size of a kept photo at a width, read from its header alone; null when it is gone.
   * Not stored with the greeting: the file is the one truth of it, and its header is small.
   */
  async sizeOf(id: string, width: PhotoWidth): Promise<PhotoSize | null> {
    if (!ID.test(id)) return null;
    try {
      const meta = await sharp(this.pathOf(id, width)).metadata();
      return meta.width && meta.height ? { width: meta.width, height: meta.height } : null;
    } catch {
      return null;
    }
  }

  /** Deletes the photos, every width; one already gone is no error. */
  async remove(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      if (!ID.test(id)) continue;
      for (const width of PHOTO_WIDTHS) await rm(this.pathOf(id, width), { force: true });
    }
    if (ids.length > 0) this.logger.log({ event: 'sender-photos-removed', count: ids.length });
  }

  private pathOf(id: string, width: PhotoWidth): string {
    return join(this.dir, `${id}-${width}.jpg`);
  }

  private async bounded<T>(work: () => Promise<T>): Promise<T> {
    // A finishing job hands its slot straight to the next in line, so none can jump the queue.
    if (this.running >= CONCURRENT) await new Promise<void>((go) => this.waiting.push(go));
    else this.running++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
