import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether the sender's address was verified when the card was sent (a verified member sending
 * as themselves, or a caller with an API key who vouches for its senders). Only such an
 * address is mailed notices about the card: anyone can type someone else's address as theirs.
 */
export class SenderVerified1770000000060 implements MigrationInterface {
  name = 'SenderVerified1770000000060';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE greetings ADD COLUMN sender_verified TINYINT(1) NOT NULL DEFAULT 0 AFTER sender_email',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE greetings DROP COLUMN sender_verified');
  }
}
