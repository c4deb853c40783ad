import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import sharp from 'sharp';
import { CatalogService } from './catalog.service.js';

/** Wide enough for a mail client's column on a high-density screen, small enough to fetch. */
export const EMAIL_IMAGE_WIDTH = 600;
/** Rendered images this process keeps: each is some tens of kilobytes. */
const MAX_KEPT_IMAGES = 64;

/**
 * The card's artwork as a PNG, for emails: most mail clients, Gmail among them, show no SVG.
 * Rendering takes a good part of a CPU-second, so renders run one at a time, a render in flight
 * is shared by everyone asking for it, and results are kept; the URL carries the artwork's hash,
 * so any cache in front may keep the answer for a year. Only existing artwork is rendered, so
 * the work a client can cause is bounded by the size of the catalog.
 */
@Injectable()
export class CardEmailImage {
  private readonly kept = new LRUCache<string, Buffer>({ max: MAX_KEPT_IMAGES });
  private readonly inFlight = new Map<string, Promise<Buffer | null>>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly catalog: CatalogService) {}

  png(slug: string, hash: string): Promise<Buffer | null> {
    const key = `${slug}.${hash}`;
    const kept = this.kept.get(key);
    if (kept) return Promise.resolve(kept);
    let render = this.inFlight.get(key);
    if (!render) {
      render = this.render(slug, hash).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, render);
    }
    return render;
  }

  private async render(slug: string, hash: string): Promise<Buffer | null> {
    const svg = await this.catalog.artwork(slug, hash, 'full');
    if (svg === null) return null;
    const turn = this.queue.then(() =>
      sharp(Buffer.from(svg))
        .resize({ width: EMAIL_IMAGE_WIDTH })
        .png({ compressionLevel: 9, palette: true })
        .toBuffer(),
    );
    this.queue = turn.catch(() => undefined);
    const png = await turn;
    this.kept.set(`${slug}.${hash}`, png);
    return png;
  }
}
