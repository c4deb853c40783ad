import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE occasions (
        id INT UNSIGNED NOT NULL AUTO_INCREMENT,
        slug VARCHAR(64) NOT NULL,
        name VARCHAR(120) NOT NULL,
        description VARCHAR(500) NOT NULL,
        sort_order INT NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id),
        UNIQUE KEY uq_occasions_slug (slug)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`
      CREATE TABLE cards (
        id INT UNSIGNED NOT NULL AUTO_INCREMENT,
        slug VARCHAR(120) NOT NULL,
        occasion_id INT UNSIGNED NOT NULL,
        title VARCHAR(160) NOT NULL,
        description VARCHAR(500) NOT NULL,
        inside_text VARCHAR(1000) NOT NULL,
        artwork_svg MEDIUMTEXT NOT NULL,
        thumbnail_svg MEDIUMTEXT NOT NULL,
        artwork_hash CHAR(12) NOT NULL,
        featured TINYINT(1) NOT NULL DEFAULT 0,
        sort_order INT NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id),
        UNIQUE KEY uq_cards_slug (slug),
        KEY idx_cards_occasion_order (occasion_id, sort_order),
        CONSTRAINT fk_cards_occasion FOREIGN KEY (occasion_id) REFERENCES occasions (id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`
      CREATE TABLE greetings (
        id CHAR(36) NOT NULL,
        site_id VARCHAR(32) NOT NULL,
        idempotency_key VARCHAR(64) NULL,
        request_hash CHAR(64) NOT NULL,
        card_id INT UNSIGNED NOT NULL,
        sender_name VARCHAR(100) NOT NULL,
        sender_email VARCHAR(254) NOT NULL,
        message TEXT NOT NULL,
        send_at DATETIME(3) NULL,
        time_zone VARCHAR(64) NOT NULL,
        status VARCHAR(16) NOT NULL,
        created_at DATETIME(3) NOT NULL,
        updated_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_greetings_site_idempotency (site_id, idempotency_key),
        KEY idx_greetings_send_at (status, send_at),
        CONSTRAINT fk_greetings_card FOREIGN KEY (card_id) REFERENCES cards (id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`
      CREATE TABLE greeting_recipients (
        id CHAR(22) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        greeting_id CHAR(36) NOT NULL,
        position SMALLINT UNSIGNED NOT NULL,
        name VARCHAR(100) NOT NULL,
        email VARCHAR(254) NOT NULL,
        status VARCHAR(16) NOT NULL,
        attempts INT UNSIGNED NOT NULL DEFAULT 0,
        status_changed_at DATETIME(3) NOT NULL,
        delivered_at DATETIME(3) NULL,
        opened_at DATETIME(3) NULL,
        last_error VARCHAR(500) NULL,
        created_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        KEY idx_recipients_greeting (greeting_id, position),
        CONSTRAINT fk_recipients_greeting FOREIGN KEY (greeting_id) REFERENCES greetings (id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`
      CREATE TABLE outbox (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        topic VARCHAR(64) NOT NULL,
        message_key VARCHAR(64) NOT NULL,
        payload JSON NOT NULL,
        available_at DATETIME(3) NOT NULL,
        dispatched_at DATETIME(3) NULL,
        attempts INT UNSIGNED NOT NULL DEFAULT 0,
        created_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_outbox_message_key (message_key),
        KEY idx_outbox_pending (dispatched_at, available_at)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE outbox');
    await q.query('DROP TABLE greeting_recipients');
    await q.query('DROP TABLE greetings');
    await q.query('DROP TABLE cards');
    await q.query('DROP TABLE occasions');
  }
}
