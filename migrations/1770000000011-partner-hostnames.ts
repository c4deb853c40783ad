import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hostnames a partner asked for and has not yet proved it controls: a name joins its site (and
 * starts answering) only once the token is served on it. Keyed by hostname, so two sites can
 * never wait for the same one.
 */
export class PartnerHostnames1770000000011 implements MigrationInterface {
  name = 'PartnerHostnames1770000000011';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE partner_hostnames (
        hostname VARCHAR(253) NOT NULL,
        site_id VARCHAR(32) NOT NULL,
        token CHAR(43) NOT NULL,
        requested_at DATETIME(3) NOT NULL,
        verified_at DATETIME(3) NULL,
        PRIMARY KEY (hostname),
        KEY ix_partner_hostnames_site (site_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE partner_hostnames');
  }
}
