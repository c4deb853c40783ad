import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reports: facts recorded once per recipient and outcome, and the hourly and daily aggregates
 * the reports read. Facts carry ids and catalog slugs only, never a name or an address; the
 * aggregates carry counts per site, hour or day, metric and dimension, and are kept for good.
 */
export class Reports1769200000001 implements MigrationInterface {
  name = 'Reports1769200000001';

  async up(q: QueryRunner): Promise<void> {
    // The primary key makes a fact idempotent: a replayed job or a second request records nothing.
    // `seq` orders facts as written, so the roll-up knows which hours changed since its last run.
    await q.query(`
      CREATE TABLE report_facts (
        recipient_id CHAR(22) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        outcome VARCHAR(16) CHARACTER SET ascii NOT NULL,
        seq BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        site_id VARCHAR(32) NOT NULL,
        greeting_id CHAR(36) NOT NULL,
        card_slug VARCHAR(120) NOT NULL,
        occasion_slug VARCHAR(64) NOT NULL,
        at DATETIME(3) NOT NULL,
        scheduled TINYINT(1) NOT NULL DEFAULT 0,
        delay_ms BIGINT NULL,
        PRIMARY KEY (recipient_id, outcome),
        UNIQUE KEY uq_report_facts_seq (seq),
        KEY idx_report_facts_at (at)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    for (const [table, period] of [
      ['report_hourly', 'hour DATETIME NOT NULL'],
      ['report_daily', 'day DATE NOT NULL'],
    ] as const) {
      const key = period.split(' ')[0] ?? '';
      await q.query(`
        CREATE TABLE ${table} (
          site_id VARCHAR(32) NOT NULL,
          ${period},
          metric VARCHAR(24) CHARACTER SET ascii NOT NULL,
          dimension VARCHAR(16) CHARACTER SET ascii NOT NULL DEFAULT '',
          dimension_value VARCHAR(120) NOT NULL DEFAULT '',
          value BIGINT NOT NULL,
          PRIMARY KEY (${key}, site_id, metric, dimension, dimension_value)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    }
    await q.query(`
      CREATE TABLE report_rollup_state (
        id TINYINT UNSIGNED NOT NULL,
        rolled_seq BIGINT UNSIGNED NOT NULL,
        rolled_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id)
      ) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE report_rollup_state');
    await q.query('DROP TABLE report_daily');
    await q.query('DROP TABLE report_hourly');
    await q.query('DROP TABLE report_facts');
  }
}
