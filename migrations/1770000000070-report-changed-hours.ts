import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hours whose facts changed, marked in the transaction that writes the facts and removed
 * by the roll-up once it has recomputed them. A fact's sequence number is taken when it is
 * written, not when it commits: a roll-up that moved past a later number could leave an
 * earlier one, committed after it, out of its hour for good. A mark commits with its facts,
 * and the roll-up removes only the marks it read, so a late one is read by the next run.
 */
export class ReportChangedHours1770000000070 implements MigrationInterface {
  name = 'ReportChangedHours1770000000070';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report_changed_hours (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        hour DATETIME NOT NULL,
        PRIMARY KEY (id)
      ) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE report_changed_hours');
  }
}
