import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a greeting's personal data (names, addresses, message) was removed by the retention job.
 * The row itself stays, so counts per site and day survive; the index serves the job's scan.
 */
export class PersonalDataRetention1767000000000 implements MigrationInterface {
  name = 'PersonalDataRetention1767000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE greetings
        ADD COLUMN personal_data_removed_at DATETIME(3) NULL AFTER updated_at,
        ADD KEY idx_greetings_retention (personal_data_removed_at, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE greetings DROP KEY idx_greetings_retention, DROP COLUMN personal_data_removed_at',
    );
  }
}
