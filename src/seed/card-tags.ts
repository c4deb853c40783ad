import type { CardStyle } from '../common/card-styles.js';
import {
  contrastRatio,
  parseColour,
  relativeLuminance,
  type Rgb,
} from '../sites/theme-contrast.js';
import type { Motif } from './card-artwork.js';
import type { DemoCard } from './demo-catalog.js';

/** What a person might type for a motif, besides the motif's own name. */
const MOTIF_TAGS: Readonly<Record<Motif, string>> = {
  balloons: 'balloons party',
  hearts: 'hearts love',
  flowers: 'flowers floral bouquet',
  stars: 'stars sparkle',
  snowflakes: 'snowflakes snow winter',
  leaves: 'leaves autumn',
  confetti: 'confetti party',
  waves: 'waves seaside summer',
  sun: 'sunshine summer',
  gift: 'gift present',
  tree: 'tree festive',
  rings: 'rings',
  fireworks: 'fireworks celebration',
  moon: 'moon night',
  pumpkin: 'pumpkin harvest',
  cake: 'cake candles',
};

/** A demo card's search tags, from what its artwork shows. */
export function tagsOf(card: DemoCard): string {
  return MOTIF_TAGS[card.artwork.motif];
}

/**
 * A demo card's style, from its palette: a dark background is an evening card, an accent that
 * stands out from the background a bold one, anything else pastel.
 */
export function styleOf(card: DemoCard): CardStyle {
  const [top, , accent] = card.artwork.palette.map(colour);
  if (!top || !accent) return 'pastel';
  if (relativeLuminance(top) < 0.2) return 'evening';
  return contrastRatio(accent, top) >= 2.5 ? 'bold' : 'pastel';
}

function colour(hex: string): Rgb | undefined {
  return parseColour(hex)?.rgb;
}
