import type { DataSource, EntityManager } from 'typeorm';
import { artworkHash, renderCardSvg } from './card-artwork.js';
import { DEMO_CARDS, DEMO_OCCASIONS, type DemoCard } from './demo-catalog.js';
import { generateCards } from './generated-catalog.js';
import { styleOf, tagsOf } from './card-tags.js';

export interface SeedReport {
  occasions: number;
  /** Cards written (all of them, or only the missing ones with `onlyMissing`). */
  cards: number;
}

export interface SeedOptions {
  /** Generated cards to add to the hand-written ones (see generated-catalog.ts). */
  generatedCards?: number;
  /** Writes only cards whose slug is not there yet, leaving edited cards as they are. */
  onlyMissing?: boolean;
}

/** Rows per INSERT: each carries two SVGs of a few KB, well under the server's packet limit. */
const BATCH_SIZE = 100;

const CARD_COLUMNS = `slug, occasion_id, title, description, inside_text, tags, style, artwork_svg,
  thumbnail_svg, artwork_hash, featured, sort_order`;
const CARD_UPDATES = `occasion_id = VALUES(occasion_id), title = VALUES(title),
  description = VALUES(description), inside_text = VALUES(inside_text), tags = VALUES(tags),
  style = VALUES(style),
  artwork_svg = VALUES(artwork_svg), thumbnail_svg = VALUES(thumbnail_svg),
  artwork_hash = VALUES(artwork_hash), featured = VALUES(featured), sort_order = VALUES(sort_order)`;

/**
 * Writes the demo catalog: the hand-written cards and, when asked, generated ones. Upserts by
 * slug, so running it again changes nothing that is already right and repairs what is not.
 * Cards go in batches, each batch's artwork drawn while the previous one is being written.
 */
export async function seedCatalog(db: DataSource, options: SeedOptions = {}): Promise<SeedReport> {
  let written = 0;
  await db.transaction(async (tx) => {
    for (const o of DEMO_OCCASIONS) {
      await tx.query(
        `INSERT INTO occasions (slug, name, description, sort_order) VALUES (?, ?, ?, ?)
         ON DUPLICATE KEY UPDATE name = VALUES(name), description = VALUES(description),
           sort_order = VALUES(sort_order)`,
        [o.slug, o.name, o.description, o.sortOrder],
      );
    }
    const rows = await tx.query<{ id: number; slug: string }[]>('SELECT id, slug FROM occasions');
    const occasionIds = new Map(rows.map((r) => [r.slug, Number(r.id)]));
    let cards = [...DEMO_CARDS, ...generateCards(options.generatedCards ?? 0)];
    if (options.onlyMissing) {
      const existing = await tx.query<{ slug: string }[]>('SELECT slug FROM cards');
      const present = new Set(existing.map((r) => r.slug));
      cards = cards.filter((c) => !present.has(c.slug));
    }
    let writing: Promise<unknown> = Promise.resolve();
    for (let start = 0; start < cards.length; start += BATCH_SIZE) {
      const values = cards.slice(start, start + BATCH_SIZE).map((c) => rowOf(c, occasionIds));
      await writing;
      writing = insertCards(tx, values);
      // Awaited on the next turn; marked handled so a failure while drawing is not a second one.
      writing.catch(() => undefined);
    }
    await writing;
    written = cards.length;
  });
  return { occasions: DEMO_OCCASIONS.length, cards: written };
}

function rowOf(card: DemoCard, occasionIds: ReadonlyMap<string, number>): unknown[] {
  const occasionId = occasionIds.get(card.occasionSlug);
  if (occasionId === undefined) throw new Error(`card ${card.slug}: unknown occasion`);
  const svg = renderCardSvg(card.artwork, card.title);
  const thumbnail = renderCardSvg(card.artwork, card.title, { thumbnail: true });
  return [
    card.slug,
    occasionId,
    card.title,
    card.description,
    card.insideText,
    tagsOf(card),
    styleOf(card),
    svg,
    thumbnail,
    artworkHash(svg + thumbnail),
    card.featured ? 1 : 0,
    card.sortOrder,
  ];
}

function insertCards(tx: EntityManager, rows: unknown[][]): Promise<unknown> {
  const placeholders = rows.map((r) => `(${r.map(() => '?').join(', ')})`).join(', ');
  return tx.query(
    `INSERT INTO cards (${CARD_COLUMNS}) VALUES ${placeholders} ON DUPLICATE KEY UPDATE ${CARD_UPDATES}`,
    rows.flat(),
  );
}

export async function catalogIsEmpty(db: DataSource): Promise<boolean> {
  const rows = await db.query<{ n: string | number }[]>('SELECT COUNT(*) AS n FROM cards');
  return Number(rows[0]?.n ?? 0) === 0;
}
