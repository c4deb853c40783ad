import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reminders before a contact's date or a site occasion, in the member's own time zone (null:
 * the site's). `last_sent_for` is the occurrence last reminded of: claiming it is what makes a
 * reminder go out once per year whichever worker runs the daily scan, and however often.
 */
export class MemberReminders1770000000021 implements MigrationInterface {
  name = 'MemberReminders1770000000021';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE members
      ADD COLUMN time_zone VARCHAR(64) NULL,
      ADD COLUMN reminders_stopped_at DATETIME(3) NULL`);
    await q.query(`
      CREATE TABLE member_reminders (
        id CHAR(36) NOT NULL,
        site_id VARCHAR(32) NOT NULL,
        member_id CHAR(36) NOT NULL,
        contact_date_id CHAR(36) NULL,
        occasion_slug VARCHAR(64) NULL,
        days_before SMALLINT UNSIGNED NOT NULL,
        last_sent_for DATE NULL,
        created_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        KEY idx_member_reminders_member (member_id),
        KEY idx_member_reminders_site (site_id),
        KEY idx_member_reminders_date (contact_date_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE member_reminders');
    await q.query('ALTER TABLE members DROP COLUMN time_zone, DROP COLUMN reminders_stopped_at');
  }
}
