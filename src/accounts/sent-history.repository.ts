import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../platform/database/database.service.js';
import type { RecipientStatus } from '../greetings/recipient-state.js';

/** One greeting a member sent, with each recipient's state. */
export interface SentGreetingRow {
  greetingId: string;
  status: 'accepted' | 'scheduled' | 'cancelled';
  sendAt: Date | null;
  timeZone: string;
  createdAt: Date;
  cardSlug: string;
  cardTitle: string;
  recipients: { name: string; email: string; status: RecipientStatus }[];
}

interface Row {
  greetingId: string;
  status: SentGreetingRow['status'];
  sendAt: Date | null;
  timeZone: string;
  createdAt: Date;
  cardSlug: string;
  cardTitle: string;
  name: string;
  email: string;
  recipientStatus: RecipientStatus;
}

/** How many greetings the history shows: the newest. */
export const HISTORY_LENGTH = 50;

/**
 * A member's sent greetings, read on the primary: a card just sent shows at once. The greeting
 * tables are the greetings feature's; this is the one read of them by member, kept here beside
 * the history it serves.
 */
@Injectable()
export class SentHistoryRepository {
  constructor(private readonly db: DatabaseService) {}

  async sentBy(siteId: string, memberId: string): Promise<SentGreetingRow[]> {
    const rows = await this.db.writer().query<Row[]>(
      `SELECT g.id AS greetingId, g.status, g.send_at AS sendAt, g.time_zone AS timeZone,
         g.created_at AS createdAt, c.slug AS cardSlug, c.title AS cardTitle, r.name, r.email,
         r.status AS recipientStatus
       FROM (SELECT id FROM greetings WHERE site_id = ? AND member_id = ?
             ORDER BY created_at DESC LIMIT ?) mine
       JOIN greetings g ON g.id = mine.id
       JOIN cards c ON c.id = g.card_id
       JOIN greeting_recipients r ON r.greeting_id = g.id
       ORDER BY g.created_at DESC, g.id, r.position`,
      [siteId, memberId, HISTORY_LENGTH],
    );
    const byGreeting = new Map<string, SentGreetingRow>();
    for (const row of rows) {
      let greeting = byGreeting.get(row.greetingId);
      if (!greeting) {
        greeting = {
          greetingId: row.greetingId,
          status: row.status,
          sendAt: row.sendAt,
          timeZone: row.timeZone,
          createdAt: row.createdAt,
          cardSlug: row.cardSlug,
          cardTitle: row.cardTitle,
          recipients: [],
        };
        byGreeting.set(row.greetingId, greeting);
      }
      greeting.recipients.push({ name: row.name, email: row.email, status: row.recipientStatus });
    }
    return [...byGreeting.values()];
  }

  /** When each of the member's cards since `since` was sent, oldest first. */
  async sentSince(siteId: string, memberId: string, since: Date, limit: number): Promise<Date[]> {
    const rows = await this.db.writer().query<{ createdAt: Date }[]>(
      `SELECT created_at AS createdAt FROM greetings
       WHERE site_id = ? AND member_id = ? AND created_at > ? ORDER BY created_at LIMIT ?`,
      [siteId, memberId, since, limit],
    );
    return rows.map((r) => r.createdAt);
  }

  /** The member's greetings stay (recipients keep their cards) but no longer name the member. */
  async forget(siteId: string, memberId: string): Promise<void> {
    await this.db
      .writer()
      .query('UPDATE greetings SET member_id = NULL WHERE site_id = ? AND member_id = ?', [
        siteId,
        memberId,
      ]);
  }
}
