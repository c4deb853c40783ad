import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { DatabaseService } from '../../platform/database/database.service.js';

/** A named day as the address book keeps it. */
export interface ContactDay {
  id: string;
  label: string;
  month: number;
  day: number;
  year: number | null;
}

/** A contact with its dates and the ids of its groups. */
export interface ContactRecord {
  id: string;
  name: string;
  email: string;
  emailKey: string;
  dates: ContactDay[];
  groupIds: string[];
}

/** What a form or an import row gives for a contact (dates without ids are new). */
export interface ContactInput {
  name: string;
  email: string;
  emailKey: string;
  dates: (Omit<ContactDay, 'id'> & { id?: string })[];
  groupIds: string[];
}

export interface GroupRecord {
  id: string;
  name: string;
  size: number;
}

interface ContactRow {
  id: string;
  name: string;
  email: string;
  emailKey: string;
}

/**
 * The address book, on the primary: a member acts on what they just saved. Every query names
 * the site and the member, so one member's ids never reach another's rows.
 */
@Injectable()
export class ContactsRepository {
  constructor(private readonly db: DatabaseService) {}

  async list(siteId: string, memberId: string, ids?: string[]): Promise<ContactRecord[]> {
    if (ids?.length === 0) return [];
    const m = this.db.writer();
    const contacts = await m.query<ContactRow[]>(
      `SELECT id, name, email, email_key AS emailKey FROM contacts
       WHERE site_id = ? AND member_id = ?${ids ? ' AND id IN (?)' : ''} ORDER BY name, email`,
      ids ? [siteId, memberId, ids] : [siteId, memberId],
    );
    if (contacts.length === 0) return [];
    const contactIds = contacts.map((c) => c.id);
    const [dates, links] = await Promise.all([
      m.query<(ContactDay & { contactId: string })[]>(
        `SELECT id, contact_id AS contactId, label, month, day, year FROM contact_dates
         WHERE member_id = ? AND contact_id IN (?) ORDER BY month, day, label`,
        [memberId, contactIds],
      ),
      m.query<{ groupId: string; contactId: string }[]>(
        // By the group's name, so a contact's groups read the same on every page and export.
        `SELECT gm.group_id AS groupId, gm.contact_id AS contactId FROM contact_group_members gm
         JOIN contact_groups g ON g.id = gm.group_id
         WHERE gm.contact_id IN (?) ORDER BY g.name`,
        [contactIds],
      ),
    ]);
    return contacts.map((c) => ({
      ...c,
      dates: dates
        .filter((d) => d.contactId === c.id)
        .map(({ id, label, month, day, year }) => ({ id, label, month, day, year })),
      groupIds: links.filter((l) => l.contactId === c.id).map((l) => l.groupId),
    }));
  }

  async find(siteId: string, memberId: string, id: string): Promise<ContactRecord | null> {
    return (await this.list(siteId, memberId, [id]))[0] ?? null;
  }

  async count(siteId: string, memberId: string): Promise<number> {
    const rows = await this.db
      .writer()
      .query<{ n: number | string }[]>(
        'SELECT COUNT(*) AS n FROM contacts WHERE site_id = ? AND member_id = ?',
        [siteId, memberId],
      );
    return Number(rows[0]?.n ?? 0);
  }

  /** Which of these addresses (email keys) are in the book already. */
  async knownKeys(siteId: string, memberId: string, keys: string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await this.db.writer().query<{ emailKey: string }[]>(
      `SELECT email_key AS emailKey FROM contacts
         WHERE site_id = ? AND member_id = ? AND email_key IN (?)`,
      [siteId, memberId, keys],
    );
    return new Set(rows.map((r) => r.emailKey));
  }

  /** The new contact's id, or null when the address is in the book already. */
  async insert(siteId: string, memberId: string, input: ContactInput): Promise<string | null> {
    return this.db.writeTransaction(async (m) => {
      const id = randomUUID();
      const now = new Date();
      const result = await m.query<{ affectedRows: number }>(
        `INSERT IGNORE INTO contacts (id, site_id, member_id, name, email, email_key, created_at,
           updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [id, siteId, memberId, input.name, input.email, input.emailKey, now, now],
      );
      if (result.affectedRows !== 1) return null;
      await this.writeDates(m, memberId, id, input.dates);
      await this.writeGroups(m, siteId, memberId, id, input.groupIds);
      return id;
    });
  }

  /** False when the contact is not the member's, or the new address is another contact's. */
  async update(
    siteId: string,
    memberId: string,
    id: string,
    input: ContactInput,
  ): Promise<'updated' | 'missing' | 'duplicate'> {
    return this.db.writeTransaction(async (m) => {
      const owned = await m.query<{ id: string }[]>(
        'SELECT id FROM contacts WHERE site_id = ? AND member_id = ? AND id = ? FOR UPDATE',
        [siteId, memberId, id],
      );
      if (owned.length === 0) return 'missing';
      const clash = await m.query<{ id: string }[]>(
        'SELECT id FROM contacts WHERE member_id = ? AND email_key = ? AND id <> ?',
        [memberId, input.emailKey, id],
      );
      if (clash.length > 0) return 'duplicate';
      await m.query(
        `UPDATE contacts SET name = ?, email = ?, email_key = ?, updated_at = ? WHERE id = ?`,
        [input.name, input.email, input.emailKey, new Date(), id],
      );
      // Dates keep their ids (reminders point at them); a date taken off takes its reminders.
      const kept = input.dates.flatMap((d) => (d.id ? [d.id] : []));
      const gone = await m.query<{ id: string }[]>(
        `SELECT id FROM contact_dates WHERE contact_id = ?${kept.length ? ' AND id NOT IN (?)' : ''}`,
        kept.length ? [id, kept] : [id],
      );
      await this.deleteDates(
        m,
        gone.map((g) => g.id),
      );
      for (const d of input.dates.filter((x) => x.id)) {
        await m.query(
          'UPDATE contact_dates SET label = ?, month = ?, day = ?, year = ? WHERE id = ? AND contact_id = ?',
          [d.label, d.month, d.day, d.year, d.id, id],
        );
      }
      await this.writeDates(
        m,
        memberId,
        id,
        input.dates.filter((x) => !x.id),
      );
      await m.query('DELETE FROM contact_group_members WHERE contact_id = ?', [id]);
      await this.writeGroups(m, siteId, memberId, id, input.groupIds);
      return 'updated';
    });
  }

  async delete(siteId: string, memberId: string, id: string): Promise<boolean> {
    return this.db.writeTransaction(async (m) => {
      const result = await m.query<{ affectedRows: number }>(
        'DELETE FROM contacts WHERE site_id = ? AND member_id = ? AND id = ?',
        [siteId, memberId, id],
      );
      if (result.affectedRows !== 1) return false;
      const dates = await m.query<{ id: string }[]>(
        'SELECT id FROM contact_dates WHERE contact_id = ?',
        [id],
      );
      await this.deleteDates(
        m,
        dates.map((d) => d.id),
      );
      await m.query('DELETE FROM contact_group_members WHERE contact_id = ?', [id]);
      return true;
    });
  }

  async groups(siteId: string, memberId: string): Promise<GroupRecord[]> {
    const rows = await this.db.writer().query<{ id: string; name: string; size: string }[]>(
      `SELECT g.id, g.name, COUNT(gm.contact_id) AS size FROM contact_groups g
       LEFT JOIN contact_group_members gm ON gm.group_id = g.id
       WHERE g.site_id = ? AND g.member_id = ? GROUP BY g.id, g.name ORDER BY g.name`,
      [siteId, memberId],
    );
    return rows.map((r) => ({ id: r.id, name: r.name, size: Number(r.size) }));
  }

  /** The group's id, made if the member has no group of that name yet. */
  async groupNamed(siteId: string, memberId: string, name: string): Promise<string> {
    await this.db.writer().query(
      `INSERT IGNORE INTO contact_groups (id, site_id, member_id, name, created_at)
         VALUES (?, ?, ?, ?, ?)`,
      [randomUUID(), siteId, memberId, name, new Date()],
    );
    const rows = await this.db
      .writer()
      .query<{ id: string }[]>(
        'SELECT id FROM contact_groups WHERE site_id = ? AND member_id = ? AND name = ?',
        [siteId, memberId, name],
      );
    return rows[0]?.id ?? '';
  }

  async deleteGroup(siteId: string, memberId: string, id: string): Promise<void> {
    await this.db.writeTransaction(async (m) => {
      const result = await m.query<{ affectedRows: number }>(
        'DELETE FROM contact_groups WHERE site_id = ? AND member_id = ? AND id = ?',
        [siteId, memberId, id],
      );
      if (result.affectedRows === 1) {
        await m.query('DELETE FROM contact_group_members WHERE group_id = ?', [id]);
      }
    });
  }

  /** The ids of contacts in any of these groups of the member. */
  async inGroups(siteId: string, memberId: string, groupIds: string[]): Promise<string[]> {
    if (groupIds.length === 0) return [];
    const rows = await this.db.writer().query<{ id: string }[]>(
      `SELECT DISTINCT gm.contact_id AS id FROM contact_group_members gm
       JOIN contact_groups g ON g.id = gm.group_id
       WHERE g.site_id = ? AND g.member_id = ? AND g.id IN (?)`,
      [siteId, memberId, groupIds],
    );
    return rows.map((r) => r.id);
  }

  /** The whole address book, with the member's reminders (account deletion). */
  async deleteAll(siteId: string, memberId: string): Promise<void> {
    await this.db.writeTransaction(async (m) => {
      await m.query(
        `DELETE gm FROM contact_group_members gm JOIN contact_groups g ON g.id = gm.group_id
         WHERE g.site_id = ? AND g.member_id = ?`,
        [siteId, memberId],
      );
      await m.query('DELETE FROM contact_groups WHERE site_id = ? AND member_id = ?', [
        siteId,
        memberId,
      ]);
      await m.query('DELETE FROM member_reminders WHERE site_id = ? AND member_id = ?', [
        siteId,
        memberId,
      ]);
      await m.query('DELETE FROM contact_dates WHERE member_id = ?', [memberId]);
      await m.query('DELETE FROM contacts WHERE site_id = ? AND member_id = ?', [siteId, memberId]);
    });
  }

  private async writeDates(
    m: EntityManager,
    memberId: string,
    contactId: string,
    dates: ContactInput['dates'],
  ): Promise<void> {
    if (dates.length === 0) return;
    await m.query(
      'INSERT INTO contact_dates (id, contact_id, member_id, label, month, day, year) VALUES ?',
      [dates.map((d) => [randomUUID(), contactId, memberId, d.label, d.month, d.day, d.year])],
    );
  }

  private async deleteDates(m: EntityManager, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await m.query('DELETE FROM member_reminders WHERE contact_date_id IN (?)', [ids]);
    await m.query('DELETE FROM contact_dates WHERE id IN (?)', [ids]);
  }

  private async writeGroups(
    m: EntityManager,
    siteId: string,
    memberId: string,
    contactId: string,
    groupIds: string[],
  ): Promise<void> {
    if (groupIds.length === 0) return;
    // Only the member's own groups: an id from another account links nothing.
    await m.query(
      `INSERT IGNORE INTO contact_group_members (group_id, contact_id)
       SELECT id, ? FROM contact_groups WHERE site_id = ? AND member_id = ? AND id IN (?)`,
      [contactId, siteId, memberId, groupIds],
    );
  }
}
