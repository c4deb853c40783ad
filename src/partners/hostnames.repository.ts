import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../platform/database/database.service.js';
import type { PartnerHostname } from './partner.entity.js';

const COLUMNS = `hostname, site_id AS siteId, token, requested_at AS requestedAt,
  verified_at AS verifiedAt`;

/** Hostnames waiting for proof, and those proved, on the primary. */
@Injectable()
export class HostnamesRepository {
  constructor(private readonly db: DatabaseService) {}

  async ofSite(siteId: string): Promise<PartnerHostname[]> {
    return this.db
      .writer()
      .query<PartnerHostname[]>(
        `SELECT ${COLUMNS} FROM partner_hostnames WHERE site_id = ? ORDER BY hostname`,
        [siteId],
      );
  }

  async one(hostname: string): Promise<PartnerHostname | null> {
    const rows = await this.db
      .writer()
      .query<PartnerHostname[]>(`SELECT ${COLUMNS} FROM partner_hostnames WHERE hostname = ?`, [
        hostname,
      ]);
    return rows[0] ?? null;
  }

  /** False when the hostname is already asked for (by any site). */
  async request(row: PartnerHostname): Promise<boolean> {
    const result = await this.db.writer().query<{ affectedRows: number }>(
      `INSERT IGNORE INTO partner_hostnames (hostname, site_id, token, requested_at, verified_at)
         VALUES (?, ?, ?, ?, NULL)`,
      [row.hostname, row.siteId, row.token, row.requestedAt],
    );
    return result.affectedRows === 1;
  }

  async markVerified(hostname: string, at: Date): Promise<void> {
    await this.db
      .writer()
      .query('UPDATE partner_hostnames SET verified_at = ? WHERE hostname = ?', [at, hostname]);
  }
}
