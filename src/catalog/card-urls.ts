import type { CardSummary } from './catalog.types.js';

/** Image URLs carry the artwork hash: they never change meaning, so they cache forever. */
export function cardImagePath(card: Pick<CardSummary, 'slug' | 'artworkHash'>): string {
  return `/media/cards/${card.slug}.${card.artworkHash}.svg`;
}

export function cardThumbPath(card: Pick<CardSummary, 'slug' | 'artworkHash'>): string {
  return `/media/cards/${card.slug}.${card.artworkHash}.thumb.svg`;
}

/** The artwork drawn as a PNG, for emails (mail clients show no SVG). */
export function cardEmailImagePath(card: Pick<CardSummary, 'slug' | 'artworkHash'>): string {
  return `/media/cards/${card.slug}.${card.artworkHash}.png`;
}

const MEDIA_FILE = /^([a-z0-9-]{1,120})\.([0-9a-f]{12})(?:(\.thumb)?\.svg|(\.png))$/;

export type MediaVariant = 'full' | 'thumb' | 'email';

export function parseMediaFile(
  file: string,
): { slug: string; hash: string; variant: MediaVariant } | null {
  const match = MEDIA_FILE.exec(file);
  if (!match?.[1] || !match[2]) return null;
  const variant = match[4] ? 'email' : match[3] ? 'thumb' : 'full';
  return { slug: match[1], hash: match[2], variant };
}
