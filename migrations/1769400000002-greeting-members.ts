import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A greeting sent while signed in belongs to its member: their sent history reads it by this
 * column, newest first. Null for everyone else's, and again once the member deletes the account.
 */
export class GreetingMembers1769400000002 implements MigrationInterface {
  name = 'GreetingMembers1769400000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE greetings
        ADD COLUMN member_id CHAR(36) NULL AFTER site_id,
        ADD KEY idx_greetings_member (site_id, member_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE greetings DROP KEY idx_greetings_member, DROP COLUMN member_id');
  }
}
