import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hand and ink a sender chose for their message, by id from the site's curated set. Null
 * for greetings sent before the choice existed, and for senders who kept the site's default.
 */
export class MessageStyle1769600000000 implements MigrationInterface {
  name = 'MessageStyle1769600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE greetings
        ADD COLUMN message_font VARCHAR(24) NULL AFTER message,
        ADD COLUMN message_ink VARCHAR(24) NULL AFTER message_font`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE greetings DROP COLUMN message_ink, DROP COLUMN message_font');
  }
}
