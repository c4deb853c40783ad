import { LRUCache } from 'lru-cache';
import { type ContentEncoding, encodeBody } from '../common/content-encoding.js';

/** Artwork kept compressed per process: a few kilobytes each, a catalog's worth at most. */
const MAX_ENTRIES = 1024;

/** What a copy holds: the compressed bytes, or null when compressing made nothing smaller. */
type Copy = { bytes: Buffer | null };

/**
 * Card artwork compressed once per file and encoding, never per request: the URL pins the
 * content, so a copy made for one visitor serves all. Bounded, least recently used dropped
 * first, so made-up addresses (which never reach here: unknown artwork is a 404 first) could
 * not grow it anyway.
 */
export class ArtworkEncodings {
  private readonly copies = new LRUCache<string, Copy>({ max: MAX_ENTRIES });

  /** The SVG in `encoding`, or undefined when it goes as it is (not asked, or no smaller). */
  encoded(key: string, svg: string, encoding: ContentEncoding | null): Buffer | undefined {
    if (encoding === null) return undefined;
    const id = `${encoding}:${key}`;
    let copy = this.copies.get(id);
    if (copy === undefined) {
      copy = { bytes: encodeBody(Buffer.from(svg), encoding, 'asset') };
      this.copies.set(id, copy);
    }
    return copy.bytes ?? undefined;
  }
}
