import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DatabaseService } from '../../platform/database/database.service.js';
import { type JobRequest, outboxKeyOf } from '../../platform/queue/jobs.js';

/** A reminder with what it is about: a contact's day, or an occasion by slug. */
export interface ReminderRecord {
  id: string;
  siteId: string;
  memberId: string;
  daysBefore: number;
  occasionSlug: string | null;
  contactDateId: string | null;
  contactId: string | null;
  contactName: string | null;
  dateLabel: string | null;
  month: number | null;
  day: number | null;
  lastSentFor: string | null;
}

const SELECT = `SELECT r.id, r.site_id AS siteId, r.member_id AS memberId,
    r.days_before AS daysBefore, r.occasion_slug AS occasionSlug,
    r.contact_date_id AS contactDateId, c.id AS contactId, c.name AS contactName,
    d.label AS dateLabel, d.month, d.day, DATE_FORMAT(r.last_sent_for, '%Y-%m-%d') AS lastSentFor
  FROM member_reminders r
  LEFT JOIN contact_dates d ON d.id = r.contact_date_id
  LEFT JOIN contacts c ON c.id = d.contact_id`;

/** How many reminders one member keeps. */
export const MAX_REMINDERS = 200;

/**
 * Members' reminders, on the primary. The daily scan reads one site and time zone at a time
 * and claims each occurrence with the outbox row of its email in one transaction.
 */
@Injectable()
export class RemindersRepository {
  constructor(private readonly db: DatabaseService) {}

  list(siteId: string, memberId: string): Promise<ReminderRecord[]> {
    return this.db
      .writer()
      .query<ReminderRecord[]>(
        `${SELECT} WHERE r.site_id = ? AND r.member_id = ? ORDER BY r.created_at`,
        [siteId, memberId],
      );
  }

  async find(id: string): Promise<ReminderRecord | null> {
    const rows = await this.db.writer().query<ReminderRecord[]>(`${SELECT} WHERE r.id = ?`, [id]);
    return rows[0] ?? null;
  }

  async count(siteId: string, memberId: string): Promise<number> {
    const rows = await this.db
      .writer()
      .query<{ n: string }[]>(
        'SELECT COUNT(*) AS n FROM member_reminders WHERE site_id = ? AND member_id = ?',
        [siteId, memberId],
      );
    return Number(rows[0]?.n ?? 0);
  }

  /** False when the date is not one of the member's contacts' (or the reminder exists). */
  async add(
    siteId: string,
    memberId: string,
    target: { contactDateId: string } | { occasionSlug: string },
    daysBefore: number,
  ): Promise<boolean> {
    const m = this.db.writer();
    const byDate = 'contactDateId' in target;
    if (byDate) {
      const owned = await m.query<{ id: string }[]>(
        `SELECT d.id FROM contact_dates d JOIN contacts c ON c.id = d.contact_id
         WHERE d.id = ? AND c.site_id = ? AND c.member_id = ?`,
        [target.contactDateId, siteId, memberId],
      );
      if (owned.length === 0) return false;
    }
    const same = await m.query<{ id: string }[]>(
      `SELECT id FROM member_reminders WHERE site_id = ? AND member_id = ? AND days_before = ?
         AND ${byDate ? 'contact_date_id = ?' : 'occasion_slug = ?'}`,
      [siteId, memberId, daysBefore, byDate ? target.contactDateId : target.occasionSlug],
    );
    if (same.length > 0) return false;
    await m.query(
      `INSERT INTO member_reminders (id, site_id, member_id, contact_date_id, occasion_slug,
         days_before, last_sent_for, created_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)`,
      [
        randomUUID(),
        siteId,
        memberId,
        byDate ? target.contactDateId : null,
        byDate ? null : target.occasionSlug,
        daysBefore,
        new Date(),
      ],
    );
    return true;
  }

  async delete(siteId: string, memberId: string, id: string): Promise<boolean> {
    const result = await this.db
      .writer()
      .query<{ affectedRows: number }>(
        'DELETE FROM member_reminders WHERE site_id = ? AND member_id = ? AND id = ?',
        [siteId, memberId, id],
      );
    return result.affectedRows === 1;
  }

  /**
   * Every live reminder of the site's members who live in `timeZone` (a member with no zone of
   * their own lives in the site's). Members who turned reminders off are left out here.
   */
  inZone(siteId: string, timeZone: string, siteZone: string): Promise<ReminderRecord[]> {
    return this.db.writer().query<ReminderRecord[]>(
      `${SELECT} JOIN members m ON m.id = r.member_id AND m.site_id = r.site_id
       WHERE r.site_id = ? AND m.reminders_stopped_at IS NULL
         AND COALESCE(m.time_zone, ?) = ?`,
      [siteId, siteZone, timeZone],
    );
  }

  /** Every (site, zone) with a reminder: the worker keeps a daily schedule for each. */
  zonesInUse(): Promise<{ siteId: string; timeZone: string | null }[]> {
    return this.db.writer().query(
      `SELECT DISTINCT r.site_id AS siteId, m.time_zone AS timeZone FROM member_reminders r
       JOIN members m ON m.id = r.member_id`,
    );
  }

  /**
   * Claims the occurrence for this reminder and writes its email's outbox row, together: a
   * reminder goes out once per occurrence, whichever scan gets there first.
   */
  async claim(id: string, occurrence: string, on: string, now: Date): Promise<boolean> {
    return this.db.writeTransaction(async (m) => {
      const result = await m.query<{ affectedRows: number }>(
        `UPDATE member_reminders SET last_sent_for = ?
         WHERE id = ? AND (last_sent_for IS NULL OR last_sent_for <> ?)`,
        [occurrence, id, occurrence],
      );
      if (result.affectedRows !== 1) return false;
      const job: JobRequest = {
        name: 'send-member-reminder',
        payload: { reminderId: id, occurrence, on },
      };
      await m.query(
        `INSERT INTO outbox (topic, message_key, payload, available_at, dispatched_at, attempts,
           request_id, site_id, created_at)
         VALUES (?, ?, ?, ?, NULL, 0, NULL, NULL, ?) ON DUPLICATE KEY UPDATE id = id`,
        [job.name, outboxKeyOf(job), JSON.stringify(job.payload), now, now],
      );
      return true;
    });
  }
}
