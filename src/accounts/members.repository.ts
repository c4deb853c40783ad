import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../platform/database/database.service.js';
import type { Member } from './member.entity.js';

const COLUMNS = `id, site_id AS siteId, email, email_key AS emailKey, display_name AS displayName,
  password_hash AS passwordHash, email_verified_at AS emailVerifiedAt, time_zone AS timeZone,
  reminders_stopped_at AS remindersStoppedAt, created_at AS createdAt, updated_at AS updatedAt`;

/**
 * Members on the primary only: a member acts on what they just did (signed up, verified, set a
 * password), which a lagging replica could not show yet, and account pages are few.
 */
@Injectable()
export class MembersRepository {
  constructor(private readonly db: DatabaseService) {}

  async findByEmail(siteId: string, emailKey: string): Promise<Member | null> {
    const rows = await this.db
      .writer()
      .query<Member[]>(`SELECT ${COLUMNS} FROM members WHERE site_id = ? AND email_key = ?`, [
        siteId,
        emailKey,
      ]);
    return rows[0] ?? null;
  }

  async findById(siteId: string, id: string): Promise<Member | null> {
    const rows = await this.db
      .writer()
      .query<Member[]>(`SELECT ${COLUMNS} FROM members WHERE site_id = ? AND id = ?`, [siteId, id]);
    return rows[0] ?? null;
  }

  /** False when the address already has an account on the site (the unique key decides). */
  async insert(member: Member): Promise<boolean> {
    const result = await this.db.writer().query<{ affectedRows: number }>(
      `INSERT IGNORE INTO members (id, site_id, email, email_key, display_name, password_hash,
         email_verified_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        member.id,
        member.siteId,
        member.email,
        member.emailKey,
        member.displayName,
        member.passwordHash,
        member.emailVerifiedAt,
        member.createdAt,
        member.updatedAt,
      ],
    );
    return result.affectedRows === 1;
  }

  async markVerified(siteId: string, id: string, at: Date): Promise<void> {
    await this.db.writer().query(
      `UPDATE members SET email_verified_at = COALESCE(email_verified_at, ?), updated_at = ?
         WHERE site_id = ? AND id = ?`,
      [at, at, siteId, id],
    );
  }

  async setPassword(siteId: string, id: string, passwordHash: string, at: Date): Promise<void> {
    await this.db
      .writer()
      .query('UPDATE members SET password_hash = ?, updated_at = ? WHERE site_id = ? AND id = ?', [
        passwordHash,
        at,
        siteId,
        id,
      ]);
  }

  async setTimeZone(siteId: string, id: string, timeZone: string | null): Promise<void> {
    await this.db
      .writer()
      .query('UPDATE members SET time_zone = ?, updated_at = ? WHERE site_id = ? AND id = ?', [
        timeZone,
        new Date(),
        siteId,
        id,
      ]);
  }

  /** Every reminder off (`stopped`), or back on (null). */
  async setRemindersStopped(siteId: string, id: string, stopped: Date | null): Promise<void> {
    await this.db
      .writer()
      .query('UPDATE members SET reminders_stopped_at = ? WHERE site_id = ? AND id = ?', [
        stopped,
        siteId,
        id,
      ]);
  }

  async delete(siteId: string, id: string): Promise<void> {
    await this.db.writer().query('DELETE FROM members WHERE site_id = ? AND id = ?', [siteId, id]);
  }
}
