import { type ContentEncoding, encodeBody } from '../common/content-encoding.js';

/** Artwork kept compressed per process: a few kilobytes each, a catalog's worth at most. */
const MAX_ENTRIES = 1024;

/**
 * Card artwork compressed once per file and encoding, never per request: the URL pins the
 * content, so a copy made for one visitor serves all. Bounded, oldest dropped first, so made-up
 * addresses (which never reach here: unknown artwork is a 404 first) could not grow it anyway.
 */
export class ArtworkEncodings {
  private readonly copies = new Map<string, Buffer | null>();

  /** The SVG in `encoding`, or undefined when it goes as it is (not asked, or no smaller). */
  encoded(key: string, svg: string, encoding: ContentEncoding | null): Buffer | undefined {
    if (encoding === null) return undefined;
    const id = `${encoding}:${key}`;
    let copy = this.copies.get(id);
    if (copy === undefined) {
      copy = encodeBody(Buffer.from(svg), encoding, 'asset');
      if (this.copies.size >= MAX_ENTRIES) {
        const oldest = this.copies.keys().next().value;
        if (oldest !== undefined) this.copies.delete(oldest);
      }
      this.copies.set(id, copy);
    }
    return copy ?? undefined;
  }
}
