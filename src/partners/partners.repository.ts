import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../platform/database/database.service.js';
import type { Partner, PartnerSite } from './partner.entity.js';

/** Partners and which sites they own, with each site's draft, on the primary. */
@Injectable()
export class PartnersRepository {
  constructor(private readonly db: DatabaseService) {}

  async all(): Promise<Partner[]> {
    return this.db
      .writer()
      .query<Partner[]>('SELECT id, name, created_at AS createdAt FROM partners ORDER BY id');
  }

  async one(id: string): Promise<Partner | null> {
    const rows = await this.db
      .writer()
      .query<Partner[]>('SELECT id, name, created_at AS createdAt FROM partners WHERE id = ?', [
        id,
      ]);
    return rows[0] ?? null;
  }

  /** False when the id is taken. */
  async insert(partner: Partner): Promise<boolean> {
    const result = await this.db
      .writer()
      .query<{ affectedRows: number }>(
        'INSERT IGNORE INTO partners (id, name, created_at) VALUES (?, ?, ?)',
        [partner.id, partner.name, partner.createdAt],
      );
    return result.affectedRows === 1;
  }

  async own(siteId: string, partnerId: string): Promise<void> {
    await this.db
      .writer()
      .query('INSERT INTO partner_sites (site_id, partner_id) VALUES (?, ?)', [siteId, partnerId]);
  }

  /** The sites a partner owns, or every owned site (partnerId undefined). */
  async sites(partnerId?: string): Promise<PartnerSite[]> {
    const where = partnerId === undefined ? '' : 'WHERE partner_id = ?';
    return this.db.writer().query<PartnerSite[]>(
      `SELECT site_id AS siteId, partner_id AS partnerId, draft, draft_by AS draftBy,
         draft_at AS draftAt FROM partner_sites ${where} ORDER BY site_id`,
      partnerId === undefined ? [] : [partnerId],
    );
  }

  async site(siteId: string): Promise<PartnerSite | null> {
    const rows = await this.db.writer().query<PartnerSite[]>(
      `SELECT site_id AS siteId, partner_id AS partnerId, draft, draft_by AS draftBy,
         draft_at AS draftAt FROM partner_sites WHERE site_id = ?`,
      [siteId],
    );
    return rows[0] ?? null;
  }

  async saveDraft(siteId: string, draft: string | null, by: string | null, at: Date | null) {
    await this.db
      .writer()
      .query('UPDATE partner_sites SET draft = ?, draft_by = ?, draft_at = ? WHERE site_id = ?', [
        draft,
        by,
        at,
        siteId,
      ]);
  }
}
