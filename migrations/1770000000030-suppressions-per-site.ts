import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A hard bounce, complaint or unsubscribe now suppresses the address for the site it came from
 * only: someone who opted out of one partner's cards may still get another partner's. The
 * site becomes part of the key. A row recorded without a site was a platform-wide opt-out, so
 * it becomes one row per site known at migration time rather than being dropped.
 */
export class SuppressionsPerSite1770000000030 implements MigrationInterface {
  name = 'SuppressionsPerSite1770000000030';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      INSERT IGNORE INTO suppressions (email_hash, reason, site_id, created_at)
      SELECT s.email_hash, s.reason, sites.id, s.created_at
      FROM suppressions s CROSS JOIN sites WHERE s.site_id IS NULL`);
    await q.query('DELETE FROM suppressions WHERE site_id IS NULL');
    await q.query(`
      ALTER TABLE suppressions
        MODIFY site_id VARCHAR(32) NOT NULL,
        DROP PRIMARY KEY,
        ADD PRIMARY KEY (site_id, email_hash)`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Back to one row per address: the earliest suppression of it wins.
    await q.query(`
      DELETE s FROM suppressions s JOIN suppressions t
        ON t.email_hash = s.email_hash
       AND (t.created_at < s.created_at OR (t.created_at = s.created_at AND t.site_id < s.site_id))`);
    await q.query(`
      ALTER TABLE suppressions
        DROP PRIMARY KEY,
        ADD PRIMARY KEY (email_hash),
        MODIFY site_id VARCHAR(32) NULL`);
  }
}
