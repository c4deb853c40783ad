import type { CardSummary } from './catalog.types.js';

/** Image URLs carry the artwork hash: they never change meaning, so they cache forever. */
export function cardImagePath(card: Pick<CardSummary, 'slug' | 'artworkHash'>): string {
  return `/media/cards/${card.slug}.${card.artworkHash}.svg`;
}

export function cardThumbPath(card: Pick<CardSummary, 'slug' | 'artworkHash'>): string {
  return `/media/cards/${card.slug}.${card.artworkHash}.thumb.svg`;
}

const MEDIA_FILE = /^([a-z0-9-]{1,120})\.([0-9a-f]{12})(\.thumb)?\.svg$/;

export function parseMediaFile(
  file: string,
): { slug: string; hash: string; variant: 'full' | 'thumb' } | null {
  const match = MEDIA_FILE.exec(file);
  if (!match?.[1] || !match[2]) return null;
  return { slug: match[1], hash: match[2], variant: match[3] ? 'thumb' : 'full' };
}
