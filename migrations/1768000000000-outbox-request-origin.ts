import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The request id and site of the send that wrote an outbox row, handed on to its job so the
 * worker's lines for that email carry the id of the click that caused it. Null for rows no
 * request wrote (reminders, requeues) and for rows written before this column.
 */
export class OutboxRequestOrigin1768000000000 implements MigrationInterface {
  name = 'OutboxRequestOrigin1768000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE outbox
        ADD COLUMN request_id VARCHAR(64) NULL AFTER last_error,
        ADD COLUMN site_id VARCHAR(32) NULL AFTER request_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE outbox DROP COLUMN site_id, DROP COLUMN request_id');
  }
}
