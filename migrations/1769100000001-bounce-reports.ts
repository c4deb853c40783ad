import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each bounce and complaint report the bounce listener recorded, once: the fingerprint is
 * unique, so a report delivered twice (a retrying mail system, a replayed feedback loop) is
 * counted once. Soft bounces of an address on a site are counted over a window from here.
 * The address is kept only as the suppression list's hash.
 */
export class BounceReports1769100000001 implements MigrationInterface {
  name = 'BounceReports1769100000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE bounce_reports (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        fingerprint CHAR(64) CHARACTER SET ascii NOT NULL,
        site_id VARCHAR(32) NOT NULL,
        recipient_id CHAR(22) CHARACTER SET ascii COLLATE ascii_bin NULL,
        greeting_id CHAR(36) NULL,
        email_hash CHAR(64) CHARACTER SET ascii NOT NULL,
        kind VARCHAR(16) NOT NULL,
        status_code VARCHAR(16) NULL,
        received_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_bounce_reports_fingerprint (fingerprint),
        KEY idx_bounce_reports_address (email_hash, site_id, kind, received_at)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE bounce_reports');
  }
}
