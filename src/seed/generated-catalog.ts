import { Rng } from './artwork/prng.js';
import {
  BRANDED_CLOSERS,
  OCCASION_WORDS,
  SCENES,
  TITLE_ADJECTIVES,
  TITLE_ENDINGS,
} from './card-words.js';
import { DEMO_CARDS, PALETTES, type DemoCard } from './demo-catalog.js';

/**
 * Occasions from most to least carded, as on a real ecard site: birthdays and Christmas carry
 * most of the catalog, a sympathy-sized occasion a few dozen cards.
 */
const OCCASIONS_BY_SIZE = [
  'birthday',
  'christmas',
  'thank-you',
  'valentines',
  'anniversary',
  'congratulations',
  'new-year',
  'wedding',
  'thanksgiving',
  'get-well',
  'new-baby',
  'thinking-of-you',
] as const;

/** Zipf weights (1/rank), summed as we go: the occasion of a draw is a walk down this list. */
const CUMULATIVE_WEIGHTS = (() => {
  const weights = OCCASIONS_BY_SIZE.map((_, rank) => 1 / (rank + 1));
  const total = weights.reduce((sum, w) => sum + w, 0);
  let running = 0;
  return weights.map((w) => (running += w / total));
})();

/** Generated cards sort after the hand-written ones, so an occasion's first page stays theirs. */
const FIRST_SORT_ORDER = 10_000;
/** Artwork seeds apart from the hand-written cards' (which are below 10 000). */
const FIRST_ARTWORK_SEED = 100_000;
const PALETTE_NAMES = Object.keys(PALETTES) as (keyof typeof PALETTES)[];

/**
 * A catalog at a real site's scale, made up from word lists: `count` cards spread over the demo
 * occasions with a Zipf skew. Card n is the same whatever the count (each card draws from a
 * generator seeded by its number, and slugs are made unique in order), so seeding 5000 cards
 * after 400 adds 4600 and leaves the first 400 as they were.
 */
export function generateCards(count: number): DemoCard[] {
  const taken = new Set(DEMO_CARDS.map((c) => c.slug));
  const cards: DemoCard[] = [];
  for (let n = 0; n < count; n++) {
    const card = generateCard(n);
    card.slug = uniqueSlug(card.slug, taken);
    cards.push(card);
  }
  return cards;
}

function generateCard(n: number): DemoCard {
  const rng = new Rng(Math.imul(n + 1, 0x9e3779b1));
  const occasionSlug = occasionOf(rng.next());
  const words = OCCASION_WORDS[occasionSlug];
  if (!words) throw new Error(`no words for occasion ${occasionSlug}`);
  const subject = rng.pick(words.subjects);
  const title = rng.chance(0.5)
    ? `${rng.pick(TITLE_ADJECTIVES)} ${subject}`
    : `${subject} ${rng.pick(TITLE_ENDINGS)}`;
  const adjective = rng.pick(TITLE_ADJECTIVES).toLowerCase();
  const closer = rng.chance(1 / 6) ? rng.pick(BRANDED_CLOSERS) : rng.pick(words.closers);
  const [top, bottom, accent] = PALETTES[rng.pick(PALETTE_NAMES)];
  return {
    slug: `${occasionSlug}-${kebab(title)}`,
    occasionSlug,
    title,
    description: `A ${adjective} card of ${subject.toLowerCase()} ${rng.pick(SCENES)}.`,
    insideText: `${rng.pick(words.openers)}\n${closer}`,
    featured: false,
    sortOrder: FIRST_SORT_ORDER + n,
    artwork: {
      motif: rng.pick(words.motifs),
      palette: [top, bottom, accent],
      seed: FIRST_ARTWORK_SEED + n,
    },
  };
}

function occasionOf(draw: number): string {
  for (let i = 0; i < CUMULATIVE_WEIGHTS.length; i++) {
    if (draw < (CUMULATIVE_WEIGHTS[i] as number)) return OCCASIONS_BY_SIZE[i] as string;
  }
  return OCCASIONS_BY_SIZE[OCCASIONS_BY_SIZE.length - 1] as string;
}

function kebab(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** The slug, or the slug with the first free number after it ("-2", "-3"...). */
function uniqueSlug(slug: string, taken: Set<string>): string {
  let candidate = slug;
  for (let i = 2; taken.has(candidate); i++) candidate = `${slug}-${i}`;
  taken.add(candidate);
  return candidate;
}
