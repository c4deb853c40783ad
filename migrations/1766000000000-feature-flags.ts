import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Feature flag overrides (global when site_id is '', since a NULL would not be unique), the
 * degradation level last applied per scope, and the audit trail of every change.
 * `namespace` keeps environments (or test runs) that share a database apart.
 */
export class FeatureFlags1766000000000 implements MigrationInterface {
  name = 'FeatureFlags1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE feature_flag_overrides (
        namespace VARCHAR(64) CHARACTER SET ascii NOT NULL,
        flag_key VARCHAR(64) CHARACTER SET ascii NOT NULL,
        site_id VARCHAR(32) CHARACTER SET ascii NOT NULL,
        value TINYINT(1) NOT NULL,
        percentage DECIMAL(5,2) NULL,
        updated_at DATETIME(3) NOT NULL,
        updated_by VARCHAR(64) NOT NULL,
        PRIMARY KEY (namespace, flag_key, site_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`
      CREATE TABLE feature_flag_levels (
        namespace VARCHAR(64) CHARACTER SET ascii NOT NULL,
        site_id VARCHAR(32) CHARACTER SET ascii NOT NULL,
        level VARCHAR(16) NOT NULL,
        updated_at DATETIME(3) NOT NULL,
        updated_by VARCHAR(64) NOT NULL,
        PRIMARY KEY (namespace, site_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`
      CREATE TABLE feature_flag_audit (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        namespace VARCHAR(64) CHARACTER SET ascii NOT NULL,
        flag_key VARCHAR(64) CHARACTER SET ascii NOT NULL,
        site_id VARCHAR(32) CHARACTER SET ascii NOT NULL,
        old_value VARCHAR(32) NULL,
        new_value VARCHAR(32) NULL,
        actor VARCHAR(64) NOT NULL,
        reason VARCHAR(500) NOT NULL,
        at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        KEY idx_flag_audit_scope (namespace, site_id, id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE feature_flag_audit');
    await q.query('DROP TABLE feature_flag_levels');
    await q.query('DROP TABLE feature_flag_overrides');
  }
}
