import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../platform/database/database.service.js';
import type { Actor } from './partner-roles.js';

/** One audit row as the console shows it. */
export interface AuditRow {
  id: string;
  at: Date;
  actorId: string | null;
  actorRole: string;
  partnerId: string | null;
  siteId: string | null;
  action: string;
  beforeJson: string | null;
  afterJson: string | null;
}

/** What changed: the action, whose it is, and the state on either side. */
export interface AuditChange {
  action: string;
  partnerId: string | null;
  siteId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Append-only: the console writes rows and reads them, never changes one. */
@Injectable()
export class AuditRepository {
  constructor(private readonly db: DatabaseService) {}

  async record(actor: Actor | null, change: AuditChange, at = new Date()): Promise<void> {
    await this.db.writer().query(
      `INSERT INTO partner_audit (at, actor_id, actor_role, partner_id, site_id, action,
         before_json, after_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        at,
        actor?.id ?? null,
        actor?.role ?? 'cli',
        change.partnerId,
        change.siteId ?? null,
        change.action,
        change.before === undefined ? null : JSON.stringify(change.before),
        change.after === undefined ? null : JSON.stringify(change.after),
      ],
    );
  }

  /** The newest rows: every one for operators (partnerId undefined), else one partner's. */
  async newest(partnerId: string | undefined, limit = 100): Promise<AuditRow[]> {
    const where = partnerId === undefined ? '' : 'WHERE partner_id = ?';
    return this.db.writer().query<AuditRow[]>(
      `SELECT CAST(id AS CHAR) AS id, at, actor_id AS actorId, actor_role AS actorRole,
         partner_id AS partnerId, site_id AS siteId, action, before_json AS beforeJson,
         after_json AS afterJson FROM partner_audit ${where} ORDER BY id DESC LIMIT ?`,
      partnerId === undefined ? [limit] : [partnerId, limit],
    );
  }
}
