import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../platform/database/database.service.js';
import type { PartnerPerson } from './partner.entity.js';

const COLUMNS = `id, partner_id AS partnerId, email, email_key AS emailKey, role,
  password_hash AS passwordHash, totp_secret AS totpSecret, created_at AS createdAt,
  updated_at AS updatedAt`;

/** Console people, on the primary only: a person acts at once on what they just changed. */
@Injectable()
export class PeopleRepository {
  constructor(private readonly db: DatabaseService) {}

  async findByEmail(emailKey: string): Promise<PartnerPerson | null> {
    const rows = await this.db
      .writer()
      .query<PartnerPerson[]>(`SELECT ${COLUMNS} FROM partner_people WHERE email_key = ?`, [
        emailKey,
      ]);
    return rows[0] ?? null;
  }

  async findById(id: string): Promise<PartnerPerson | null> {
    const rows = await this.db
      .writer()
      .query<PartnerPerson[]>(`SELECT ${COLUMNS} FROM partner_people WHERE id = ?`, [id]);
    return rows[0] ?? null;
  }

  /** Operators see everyone (partnerId undefined); anyone else one partner's people. */
  async list(partnerId?: string): Promise<PartnerPerson[]> {
    const where = partnerId === undefined ? '' : 'WHERE partner_id = ?';
    return this.db
      .writer()
      .query<PartnerPerson[]>(
        `SELECT ${COLUMNS} FROM partner_people ${where} ORDER BY partner_id, email_key`,
        partnerId === undefined ? [] : [partnerId],
      );
  }

  /** False when the address already belongs to someone (the unique key decides). */
  async insert(person: PartnerPerson): Promise<boolean> {
    const result = await this.db.writer().query<{ affectedRows: number }>(
      `INSERT IGNORE INTO partner_people (id, partner_id, email, email_key, role, password_hash,
         totp_secret, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        person.id,
        person.partnerId,
        person.email,
        person.emailKey,
        person.role,
        person.passwordHash,
        person.totpSecret,
        person.createdAt,
        person.updatedAt,
      ],
    );
    return result.affectedRows === 1;
  }

  async setPassword(id: string, passwordHash: string, at: Date): Promise<void> {
    await this.db
      .writer()
      .query('UPDATE partner_people SET password_hash = ?, updated_at = ? WHERE id = ?', [
        passwordHash,
        at,
        id,
      ]);
  }

  async setTotpSecret(id: string, secret: string | null, at: Date): Promise<void> {
    await this.db
      .writer()
      .query('UPDATE partner_people SET totp_secret = ?, updated_at = ? WHERE id = ?', [
        secret,
        at,
        id,
      ]);
  }
}
