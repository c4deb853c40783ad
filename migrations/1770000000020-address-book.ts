import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A member's address book: contacts, their named dates (birthday, anniversary, any other) and
 * groups. Rows name their member; deleting the account deletes them in the same transaction.
 */
export class AddressBook1770000000020 implements MigrationInterface {
  name = 'AddressBook1770000000020';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE contacts (
        id CHAR(36) NOT NULL,
        site_id VARCHAR(32) NOT NULL,
        member_id CHAR(36) NOT NULL,
        name VARCHAR(100) NOT NULL,
        email VARCHAR(254) NOT NULL,
        email_key VARCHAR(254) NOT NULL,
        created_at DATETIME(3) NOT NULL,
        updated_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_contacts_member_email (member_id, email_key),
        KEY idx_contacts_site_member (site_id, member_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`
      CREATE TABLE contact_dates (
        id CHAR(36) NOT NULL,
        contact_id CHAR(36) NOT NULL,
        member_id CHAR(36) NOT NULL,
        label VARCHAR(40) NOT NULL,
        month TINYINT UNSIGNED NOT NULL,
        day TINYINT UNSIGNED NOT NULL,
        year SMALLINT UNSIGNED NULL,
        PRIMARY KEY (id),
        KEY idx_contact_dates_contact (contact_id),
        KEY idx_contact_dates_member (member_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`
      CREATE TABLE contact_groups (
        id CHAR(36) NOT NULL,
        site_id VARCHAR(32) NOT NULL,
        member_id CHAR(36) NOT NULL,
        name VARCHAR(60) NOT NULL,
        created_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_contact_groups_member_name (member_id, name)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`
      CREATE TABLE contact_group_members (
        group_id CHAR(36) NOT NULL,
        contact_id CHAR(36) NOT NULL,
        PRIMARY KEY (group_id, contact_id),
        KEY idx_contact_group_members_contact (contact_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE contact_group_members');
    await q.query('DROP TABLE contact_groups');
    await q.query('DROP TABLE contact_dates');
    await q.query('DROP TABLE contacts');
  }
}
