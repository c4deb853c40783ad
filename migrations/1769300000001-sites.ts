import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sites in the database: the current definition of each (the JSON the site schema validates),
 * every version ever saved with who saved it and why, and the hostnames each site answers to.
 * A hostname is the key of its own table, so two sites can never claim one, even when two
 * saves race.
 */
export class Sites1769300000001 implements MigrationInterface {
  name = 'Sites1769300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sites (
        id VARCHAR(32) CHARACTER SET ascii NOT NULL,
        revision INT UNSIGNED NOT NULL,
        definition LONGTEXT NOT NULL,
        updated_at DATETIME(3) NOT NULL,
        updated_by VARCHAR(120) NOT NULL,
        PRIMARY KEY (id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`
      CREATE TABLE site_versions (
        site_id VARCHAR(32) CHARACTER SET ascii NOT NULL,
        revision INT UNSIGNED NOT NULL,
        definition LONGTEXT NOT NULL,
        author VARCHAR(120) NOT NULL,
        reason VARCHAR(500) NOT NULL,
        created_at DATETIME(3) NOT NULL,
        PRIMARY KEY (site_id, revision)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`
      CREATE TABLE site_hostnames (
        hostname VARCHAR(253) CHARACTER SET ascii NOT NULL,
        site_id VARCHAR(32) CHARACTER SET ascii NOT NULL,
        PRIMARY KEY (hostname),
        KEY idx_site_hostnames_site (site_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE site_hostnames');
    await q.query('DROP TABLE site_versions');
    await q.query('DROP TABLE sites');
  }
}
