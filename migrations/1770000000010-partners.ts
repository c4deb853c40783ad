import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The partner console: partners, the people who run them (and the platform's operators, who
 * belong to no partner), which partner owns which site with the draft it is editing, and the
 * audit of every change made through the console.
 */
export class Partners1770000000010 implements MigrationInterface {
  name = 'Partners1770000000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE partners (
        id VARCHAR(32) NOT NULL,
        name VARCHAR(80) NOT NULL,
        created_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`
      CREATE TABLE partner_people (
        id CHAR(36) NOT NULL,
        partner_id VARCHAR(32) NULL,
        email VARCHAR(254) NOT NULL,
        email_key VARCHAR(254) NOT NULL,
        role VARCHAR(16) NOT NULL,
        password_hash VARCHAR(255) NULL,
        totp_secret VARCHAR(64) NULL,
        created_at DATETIME(3) NOT NULL,
        updated_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_partner_people_email (email_key),
        KEY ix_partner_people_partner (partner_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`
      CREATE TABLE partner_sites (
        site_id VARCHAR(32) NOT NULL,
        partner_id VARCHAR(32) NOT NULL,
        draft LONGTEXT NULL,
        draft_by CHAR(36) NULL,
        draft_at DATETIME(3) NULL,
        PRIMARY KEY (site_id),
        KEY ix_partner_sites_partner (partner_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`
      CREATE TABLE partner_audit (
        id BIGINT NOT NULL AUTO_INCREMENT,
        at DATETIME(3) NOT NULL,
        actor_id CHAR(36) NULL,
        actor_role VARCHAR(16) NOT NULL,
        partner_id VARCHAR(32) NULL,
        site_id VARCHAR(32) NULL,
        action VARCHAR(64) NOT NULL,
        before_json LONGTEXT NULL,
        after_json LONGTEXT NULL,
        PRIMARY KEY (id),
        KEY ix_partner_audit_partner (partner_id, id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE partner_audit');
    await q.query('DROP TABLE partner_sites');
    await q.query('DROP TABLE partner_people');
    await q.query('DROP TABLE partners');
  }
}
