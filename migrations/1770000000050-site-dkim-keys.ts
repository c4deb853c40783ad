import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each site's own DKIM keys, in a table of their own so a site's definition and its export never
 * carry one. The private key is sealed (AES-256-GCM under DKIM_KEY_ENCRYPTION_KEY); the public
 * half is kept as the DNS record's `p=`. A site signs with its one activated, unretired key; a
 * new key waits unactivated until its DNS record is published, and the key it replaces is
 * retired, not deleted, so the console still shows which record may be removed.
 */
export class SiteDkimKeys1770000000050 implements MigrationInterface {
  name = 'SiteDkimKeys1770000000050';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE site_dkim_keys (
        id CHAR(36) NOT NULL,
        site_id VARCHAR(32) NOT NULL,
        domain VARCHAR(253) NOT NULL,
        selector VARCHAR(63) NOT NULL,
        public_key TEXT NOT NULL,
        private_key_sealed TEXT NOT NULL,
        created_at DATETIME(3) NOT NULL,
        created_by CHAR(36) NULL,
        activated_at DATETIME(3) NULL,
        retired_at DATETIME(3) NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_site_dkim_keys_selector (site_id, domain, selector),
        KEY ix_site_dkim_keys_site (site_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE site_dkim_keys');
  }
}
