import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sender's own photo on the card: the random name its files are kept under, outside the
 * web root. Null for a card without one, and once the retention job has erased it.
 */
export class SenderPhoto1770000000031 implements MigrationInterface {
  name = 'SenderPhoto1770000000031';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE greetings ADD COLUMN photo_id CHAR(43) CHARACTER SET ascii COLLATE ascii_bin NULL AFTER inside_text',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE greetings DROP COLUMN photo_id');
  }
}
