import type { DataSource } from 'typeorm';
import { artworkHash, renderCardSvg } from './card-artwork.js';
import { DEMO_CARDS, DEMO_OCCASIONS } from './demo-catalog.js';

export interface SeedReport {
  occasions: number;
  cards: number;
}

/**
 * Writes the demo catalog. Upserts by slug, so running it again changes nothing that is
 * already right and repairs what is not.
 */
export async function seedCatalog(db: DataSource): Promise<SeedReport> {
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
    for (const card of DEMO_CARDS) {
      const occasionId = occasionIds.get(card.occasionSlug);
      if (occasionId === undefined) throw new Error(`card ${card.slug}: unknown occasion`);
      const svg = renderCardSvg(card.artwork, card.title);
      const thumbnail = renderCardSvg(card.artwork, card.title, { thumbnail: true });
      await tx.query(
        `INSERT INTO cards (slug, occasion_id, title, description, inside_text, artwork_svg,
           thumbnail_svg, artwork_hash, featured, sort_order)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON DUPLICATE KEY UPDATE occasion_id = VALUES(occasion_id), title = VALUES(title),
           description = VALUES(description), inside_text = VALUES(inside_text),
           artwork_svg = VALUES(artwork_svg), thumbnail_svg = VALUES(thumbnail_svg),
           artwork_hash = VALUES(artwork_hash), featured = VALUES(featured),
           sort_order = VALUES(sort_order)`,
        [
          card.slug,
          occasionId,
          card.title,
          card.description,
          card.insideText,
          svg,
          thumbnail,
          artworkHash(svg + thumbnail),
          card.featured ? 1 : 0,
          card.sortOrder,
        ],
      );
    }
  });
  return { occasions: DEMO_OCCASIONS.length, cards: DEMO_CARDS.length };
}

export async function catalogIsEmpty(db: DataSource): Promise<boolean> {
  const rows = await db.query<{ n: string | number }[]>('SELECT COUNT(*) AS n FROM cards');
  return Number(rows[0]?.n ?? 0) === 0;
}
