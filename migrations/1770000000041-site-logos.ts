import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partners' uploaded logos, already re-encoded, keyed by the hash of their bytes: a draft and
 * every version that names one keep serving it, and every web process reads the same row.
 */
export class SiteLogos1770000000041 implements MigrationInterface {
  name = 'SiteLogos1770000000041';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE site_logos (
        hash CHAR(64) NOT NULL,
        site_id VARCHAR(32) NOT NULL,
        width INT NOT NULL,
        height INT NOT NULL,
        body MEDIUMBLOB NOT NULL,
        created_at DATETIME(3) NOT NULL,
        PRIMARY KEY (hash),
        KEY ix_site_logos_site (site_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE site_logos');
  }
}
