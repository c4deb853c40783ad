import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../../platform/database/database.service.js';
import type { BounceKind } from './bounce-report.js';

/** One report as it is kept: who it is about (a hash of the address) and what it said. */
export interface BounceReportRow {
  fingerprint: string;
  siteId: string;
  recipientId: string | null;
  greetingId: string;
  emailHash: string;
  kind: BounceKind;
  code: string | null;
  receivedAt: Date;
}

@Injectable()
export class BounceReportsRepository {
  constructor(private readonly db: DatabaseService) {}

  /** Keeps the report; false when one with the same fingerprint was kept before (a replay). */
  async add(row: BounceReportRow): Promise<boolean> {
    const result = await this.db
      .writer()
      .query<{ affectedRows: number }>(
        'INSERT IGNORE INTO bounce_reports (fingerprint, site_id, recipient_id, greeting_id, email_hash, kind, status_code, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [
          row.fingerprint,
          row.siteId,
          row.recipientId,
          row.greetingId,
          row.emailHash,
          row.kind,
          row.code?.slice(0, 16) ?? null,
          row.receivedAt,
        ],
      );
    return result.affectedRows === 1;
  }

  /** Soft bounces of one address on one site received since `since`. */
  async softBouncesSince(siteId: string, emailHash: string, since: Date): Promise<number> {
    const rows = await this.db
      .writer()
      .query<{ n: number | string }[]>(
        "SELECT COUNT(*) AS n FROM bounce_reports WHERE email_hash = ? AND site_id = ? AND kind = 'soft' AND received_at >= ?",
        [emailHash, siteId, since],
      );
    return Number(rows[0]?.n ?? 0);
  }
}
