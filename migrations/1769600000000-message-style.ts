import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hand and ink a sender chose for their message, by id from the site's curated set, and
 * the verse inside the card as they edited it. Null for greetings sent before the choice
 * existed and for senders who kept the site's default or the card's own verse.
 */
export class MessageStyle1769600000000 implements MigrationInterface {
  name = 'MessageStyle1769600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE greetings
        ADD COLUMN message_font VARCHAR(24) NULL AFTER message,
        ADD COLUMN message_ink VARCHAR(24) NULL AFTER message_font,
        ADD COLUMN inside_text TEXT NULL AFTER message_ink`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE greetings DROP COLUMN inside_text, DROP COLUMN message_ink, DROP COLUMN message_font',
    );
  }
}
