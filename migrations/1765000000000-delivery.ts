import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Delivery1765000000000 implements MigrationInterface {
  name = 'Delivery1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE greeting_recipients
        ADD COLUMN reminded_at DATETIME(3) NULL AFTER opened_at,
        ADD KEY idx_recipients_reminder (status, delivered_at)`);
    await q.query(`
      CREATE TABLE greeting_recipient_events (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        recipient_id CHAR(22) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        from_status VARCHAR(16) NOT NULL,
        to_status VARCHAR(16) NOT NULL,
        event VARCHAR(16) NOT NULL,
        at DATETIME(3) NOT NULL,
        detail VARCHAR(500) NULL,
        PRIMARY KEY (id),
        KEY idx_recipient_events_recipient (recipient_id, id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`
      CREATE TABLE suppressions (
        email_hash CHAR(64) CHARACTER SET ascii NOT NULL,
        reason VARCHAR(16) NOT NULL,
        site_id VARCHAR(32) NULL,
        created_at DATETIME(3) NOT NULL,
        PRIMARY KEY (email_hash)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`ALTER TABLE outbox ADD COLUMN last_error VARCHAR(500) NULL AFTER attempts`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE outbox DROP COLUMN last_error');
    await q.query('DROP TABLE suppressions');
    await q.query('DROP TABLE greeting_recipient_events');
    await q.query(
      'ALTER TABLE greeting_recipients DROP KEY idx_recipients_reminder, DROP COLUMN reminded_at',
    );
  }
}
