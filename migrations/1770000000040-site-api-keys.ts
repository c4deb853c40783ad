import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys a partner makes for one of its sites. Only the secret's SHA-256 (hex) is kept (the secret
 * is random and long, so a slow hash adds nothing), unique so a lookup is one index read.
 */
export class SiteApiKeys1770000000040 implements MigrationInterface {
  name = 'SiteApiKeys1770000000040';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE site_api_keys (
        id CHAR(36) NOT NULL,
        site_id VARCHAR(32) NOT NULL,
        name VARCHAR(60) NOT NULL,
        scopes VARCHAR(64) NOT NULL,
        secret_sha256 CHAR(64) NOT NULL,
        created_at DATETIME(3) NOT NULL,
        created_by CHAR(36) NULL,
        revoked_at DATETIME(3) NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_site_api_keys_secret (secret_sha256),
        KEY ix_site_api_keys_site (site_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE site_api_keys');
  }
}
