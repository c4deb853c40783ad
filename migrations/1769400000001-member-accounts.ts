import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Members: one account per address per site (a partner's members are that partner's). The
 * address is kept as typed and, for uniqueness, folded to lower case; the password hash is
 * null for members who only ever sign in with emailed links.
 */
export class MemberAccounts1769400000001 implements MigrationInterface {
  name = 'MemberAccounts1769400000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE members (
        id CHAR(36) NOT NULL,
        site_id VARCHAR(32) NOT NULL,
        email VARCHAR(254) NOT NULL,
        email_key VARCHAR(254) NOT NULL,
        display_name VARCHAR(100) NOT NULL,
        password_hash VARCHAR(255) NULL,
        email_verified_at DATETIME(3) NULL,
        created_at DATETIME(3) NOT NULL,
        updated_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_members_site_email (site_id, email_key)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE members');
  }
}
