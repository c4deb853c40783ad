import { createHash } from 'node:crypto';

/** Fingerprint for cache-busting image URLs; 12 hex chars keeps URLs short yet collision-safe. */
export function artworkHash(svg: string): string {
  return createHash('sha256').update(svg, 'utf8').digest('hex').slice(0, 12);
}
