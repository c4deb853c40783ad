import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { isStoreUnavailable } from '../common/store-errors.js';
import { DatabaseService } from '../platform/database/database.service.js';
import { GreetingRecipient } from './greeting-recipient.entity.js';
import { Greeting } from './greeting.entity.js';
import { OutboxMessage } from './outbox-message.entity.js';
import type { RecipientStatus } from './recipient-state.js';
import { ReportFacts } from '../reports/report-facts.js';

export interface NewGreeting {
  greeting: Greeting;
  recipients: GreetingRecipient[];
  outbox: Omit<OutboxMessage, 'id'>[];
}

export interface PickupRecord {
  recipientId: string;
  recipientName: string;
  openedAt: Date | null;
  greetingId: string;
  siteId: string;
  cardSlug: string;
  senderName: string;
  senderEmail: string;
  senderVerified: boolean;
  message: string;
  messageFont: string | null;
  messageInk: string | null;
  insideText: string | null;
  photoId: string | null;
  createdAt: Date;
  sendAt: Date | null;
}

/** Everything an email about one recipient needs, in one read. */
export interface DeliveryRecord {
  recipientId: string;
  recipientName: string;
  recipientEmail: string;
  status: RecipientStatus;
  openedAt: Date | null;
  greetingId: string;
  siteId: string;
  greetingStatus: Greeting['status'];
  senderName: string;
  senderEmail: string;
  message: string;
  sendAt: Date | null;
  timeZone: string;
  cardTitle: string;
  cardSlug: string;
  /** Names the card's artwork in media URLs (the email shows it as an image). */
  artworkHash: string;
}

export interface ScheduledGreeting {
  greetingId: string;
  siteId: string;
  status: Greeting['status'];
  senderName: string;
  senderEmail: string;
  sendAt: Date | null;
  timeZone: string;
  cardTitle: string;
  recipients: { name: string; email: string }[];
}

/**
 * Greeting writes and the reads that must see them (the sender's confirmation and manage pages,
 * delivery) on the primary; pickups on a replica, falling back to the primary on a miss.
 */
/**
 * What delivering to recipients needs, one row per recipient id in the bound list: the plain
 * read (`findForDelivery`) and the batched claim under row locks share it.
 */
export const DELIVERY_RECORDS_BY_RECIPIENT_IDS = `SELECT r.id AS recipientId, r.name AS recipientName,
    r.email AS recipientEmail, r.status AS status, r.opened_at AS openedAt, g.id AS greetingId,
    g.site_id AS siteId, g.status AS greetingStatus, g.sender_name AS senderName,
    g.sender_email AS senderEmail, g.message AS message, g.send_at AS sendAt,
    g.time_zone AS timeZone, c.title AS cardTitle, c.slug AS cardSlug, c.artwork_hash AS artworkHash
  FROM greeting_recipients r
  JOIN greetings g ON g.id = r.greeting_id
  JOIN cards c ON c.id = g.card_id
  WHERE r.id IN (?)`;

@Injectable()
export class GreetingsRepository {
  constructor(
    private readonly db: DatabaseService,
    private readonly facts: ReportFacts,
  ) {}

  /** Whether the primary answered its last probe: if not, writes go to the spool at once. */
  primaryReachable(): boolean {
    return this.db.primaryUp();
  }

  /**
   * Greeting, recipients and outbox rows in one transaction: all of it or none of it. Plain
   * multi-row INSERTs: TypeORM's insert builder cost more CPU than the rest of a send.
   */
  async insert(record: NewGreeting): Promise<void> {
    const { greeting: g, recipients, outbox } = record;
    await this.db.writeTransaction(async (tx) => {
      await tx.query(
        `INSERT INTO greetings (id, site_id, member_id, idempotency_key, request_hash, card_id,
           sender_name, sender_email, sender_verified, message, message_font, message_ink, inside_text,
           photo_id, send_at, time_zone, status, created_at, updated_at) VALUES ?`,
        [
          [
            [
              g.id,
              g.siteId,
              // A record spooled before members existed has no such field.
              g.memberId ?? null,
              g.idempotencyKey,
              g.requestHash,
              g.cardId,
              g.senderName,
              g.senderEmail,
              // A record spooled before verified senders existed was no one's verified address.
              g.senderVerified === true,
              g.message,
              g.messageFont,
              g.messageInk,
              g.insideText,
              // A record spooled before photos existed has no such field.
              g.photoId ?? null,
              g.sendAt,
              g.timeZone,
              g.status,
              g.createdAt,
              g.updatedAt,
            ],
          ],
        ],
      );
      await tx.query(
        `INSERT INTO greeting_recipients (id, greeting_id, position, name, email, status, attempts,
           status_changed_at, delivered_at, opened_at, reminded_at, last_error, created_at) VALUES ?`,
        [
          recipients.map((r) => [
            r.id,
            r.greetingId,
            r.position,
            r.name,
            r.email,
            r.status,
            r.attempts,
            r.statusChangedAt,
            r.deliveredAt,
            r.openedAt,
            r.remindedAt,
            r.lastError,
            r.createdAt,
          ]),
        ],
      );
      await tx.query(
        `INSERT INTO outbox (topic, message_key, payload, available_at, dispatched_at, attempts,
           last_error, request_id, site_id, created_at) VALUES ?`,
        [
          outbox.map((o) => [
            o.topic,
            o.messageKey,
            JSON.stringify(o.payload),
            o.availableAt,
            o.dispatchedAt,
            o.attempts,
            o.lastError,
            o.requestId,
            o.siteId,
            o.createdAt,
          ]),
        ],
      );
      await this.facts.record(
        'accepted',
        recipients.map((r) => r.id),
        g.createdAt,
        tx,
      );
    });
  }

  findByIdempotencyKey(siteId: string, key: string): Promise<Greeting | null> {
    return this.db.writer().findOne(Greeting, { where: { siteId, idempotencyKey: key } });
  }

  findGreeting(siteId: string, id: string): Promise<Greeting | null> {
    return this.db.writer().findOne(Greeting, { where: { siteId, id } });
  }

  recipientsOf(greetingId: string): Promise<GreetingRecipient[]> {
    return this.db.writer().find(GreetingRecipient, {
      where: { greetingId },
      order: { position: 'ASC' },
    });
  }

  /**
   * Recipients open their cards far more often than anyone writes, so a pickup reads a
   * replica. A replica lagging behind a send made a moment ago does not have the row yet:
   * a miss (or a replica that fails mid-request) asks the primary before it becomes a 404.
   * Tokens are signed, so only links we issued ever reach the second read.
   */
  async findPickup(recipientId: string): Promise<PickupRecord | null> {
    const reader = this.db.reader();
    if (reader === this.db.primarySource().manager) return this.pickupFrom(reader, recipientId);
    try {
      const row = await this.pickupFrom(reader, recipientId);
      if (row) return row;
    } catch (error) {
      if (!isStoreUnavailable(error)) throw error;
    }
    return this.pickupFrom(this.db.writer(), recipientId);
  }

  private async pickupFrom(db: EntityManager, recipientId: string): Promise<PickupRecord | null> {
    const rows = await db.query<
      (Omit<PickupRecord, 'senderVerified'> & { senderVerified: 0 | 1 })[]
    >(
      `SELECT r.id AS recipientId, r.name AS recipientName, r.opened_at AS openedAt,
              g.id AS greetingId, g.site_id AS siteId, c.slug AS cardSlug,
              g.sender_name AS senderName, g.sender_email AS senderEmail,
              g.sender_verified AS senderVerified, g.message AS message,
              g.message_font AS messageFont, g.message_ink AS messageInk, g.inside_text AS insideText,
              g.photo_id AS photoId, g.created_at AS createdAt, g.send_at AS sendAt
       FROM greeting_recipients r
       JOIN greetings g ON g.id = r.greeting_id
       JOIN cards c ON c.id = g.card_id
       WHERE r.id = ?`,
      [recipientId],
    );
    const row = rows[0];
    return row ? { ...row, senderVerified: row.senderVerified === 1 } : null;
  }

  async findForDelivery(recipientId: string): Promise<DeliveryRecord | null> {
    const rows = await this.db
      .writer()
      .query<DeliveryRecord[]>(DELIVERY_RECORDS_BY_RECIPIENT_IDS, [[recipientId]]);
    return rows[0] ?? null;
  }

  /** A greeting with its card title and recipients, for the sender's "scheduled" email. */
  async findScheduledNotice(greetingId: string): Promise<ScheduledGreeting | null> {
    const rows = await this.db.writer().query<Omit<ScheduledGreeting, 'recipients'>[]>(
      `SELECT g.id AS greetingId, g.site_id AS siteId, g.status AS status,
              g.sender_name AS senderName, g.sender_email AS senderEmail, g.send_at AS sendAt,
              g.time_zone AS timeZone, c.title AS cardTitle
       FROM greetings g JOIN cards c ON c.id = g.card_id WHERE g.id = ?`,
      [greetingId],
    );
    const greeting = rows[0];
    if (!greeting) return null;
    const recipients = await this.recipientsOf(greetingId);
    return { ...greeting, recipients: recipients.map((r) => ({ name: r.name, email: r.email })) };
  }

  /** Locks the greeting row so edits, cancels and the relay take turns on it. */
  async lockGreeting(tx: EntityManager, siteId: string, id: string): Promise<Greeting | null> {
    return tx.findOne(Greeting, { where: { siteId, id }, lock: { mode: 'pessimistic_write' } });
  }

  async updateGreeting(
    tx: EntityManager,
    id: string,
    changes: Partial<Pick<Greeting, 'message' | 'sendAt' | 'timeZone' | 'status' | 'updatedAt'>>,
  ): Promise<void> {
    await tx.update(Greeting, { id }, changes);
  }

  /** Recipient ids and statuses under a lock, for decisions about the whole greeting. */
  lockRecipients(
    tx: EntityManager,
    greetingId: string,
  ): Promise<{ id: string; status: RecipientStatus }[]> {
    return tx.query('SELECT id, status FROM greeting_recipients WHERE greeting_id = ? FOR UPDATE', [
      greetingId,
    ]);
  }
}
