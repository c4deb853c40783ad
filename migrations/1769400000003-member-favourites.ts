import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Cards a member starred, by slug (what pages and links name a card by). */
export class MemberFavourites1769400000003 implements MigrationInterface {
  name = 'MemberFavourites1769400000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE member_favourites (
        member_id CHAR(36) NOT NULL,
        site_id VARCHAR(32) NOT NULL,
        card_slug VARCHAR(120) NOT NULL,
        created_at DATETIME(3) NOT NULL,
        PRIMARY KEY (member_id, card_slug),
        KEY idx_member_favourites_site (site_id, member_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE member_favourites');
  }
}
