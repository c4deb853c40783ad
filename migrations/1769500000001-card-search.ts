import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search over the catalog: tags and a style per card, and full-text indexes over what a person
 * types a search for (a card's title, description, verse and tags; an occasion's name). The
 * created_at index serves the "recently added" filter without reading every card.
 */
export class CardSearch1769500000001 implements MigrationInterface {
  name = 'CardSearch1769500000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE cards
        ADD COLUMN tags VARCHAR(255) NOT NULL DEFAULT '' AFTER inside_text,
        ADD COLUMN style VARCHAR(16) NOT NULL DEFAULT 'pastel' AFTER tags,
        ADD KEY idx_cards_style (style),
        ADD KEY idx_cards_created (created_at)`);
    await q.query(
      'ALTER TABLE cards ADD FULLTEXT KEY ft_cards_search (title, description, inside_text, tags)',
    );
    await q.query('ALTER TABLE occasions ADD FULLTEXT KEY ft_occasions_name (name)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE occasions DROP KEY ft_occasions_name');
    await q.query(`
      ALTER TABLE cards
        DROP KEY ft_cards_search,
        DROP KEY idx_cards_created,
        DROP KEY idx_cards_style,
        DROP COLUMN style,
        DROP COLUMN tags`);
  }
}
