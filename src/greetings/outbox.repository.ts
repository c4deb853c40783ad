import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DatabaseService } from '../platform/database/database.service.js';
import type { RequestOrigin } from '../platform/observability/request-context.js';

export interface PendingOutboxRow {
  id: string;
  topic: string;
  payload: unknown;
  availableAt: Date;
  /** The request that wrote the row, when one did. */
  origin: RequestOrigin | null;
}

/** The relay's view of the outbox table. */
@Injectable()
export class OutboxRepository {
  constructor(private readonly db: DatabaseService) {}

  inTransaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    // READ COMMITTED: the relay's range lock takes no gap locks, so it cannot deadlock with
    // sends inserting outbox rows (seen under load as 500s on send and pickup).
    return this.db.writeTransaction(work, 'READ COMMITTED');
  }

  /**
   * Rows due before `horizon`, locked for this transaction. SKIP LOCKED lets several relays
   * run at once: each takes rows no other relay holds, instead of waiting for them.
   */
  async claimDue(tx: EntityManager, horizon: Date, limit: number): Promise<PendingOutboxRow[]> {
    const rows = await tx.query<
      {
        id: string;
        topic: string;
        payload: unknown;
        available_at: Date;
        request_id: string | null;
        site_id: string | null;
      }[]
    >(
      `SELECT id, topic, payload, available_at, request_id, site_id FROM outbox
       WHERE dispatched_at IS NULL AND available_at <= ?
       ORDER BY available_at, id LIMIT ? FOR UPDATE SKIP LOCKED`,
      [horizon, limit],
    );
    return rows.map((r) => ({
      id: String(r.id),
      topic: r.topic,
      // mysql2 returns JSON columns parsed on MariaDB only when it reports them as JSON.
      payload: typeof r.payload === 'string' ? parseJson(r.payload) : r.payload,
      availableAt: r.available_at,
      origin: r.request_id === null ? null : { requestId: r.request_id, site: r.site_id ?? '-' },
    }));
  }

  async markDispatched(tx: EntityManager, ids: string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await tx.query('UPDATE outbox SET dispatched_at = ? WHERE id IN (?)', [at, ids]);
  }

  /** A row that can never become a job is set aside with the reason, not retried forever. */
  async markUnusable(tx: EntityManager, ids: string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await tx.query(
      "UPDATE outbox SET dispatched_at = ?, last_error = 'unknown topic or malformed payload' WHERE id IN (?)",
      [at, ids],
    );
  }

  /** Counts failed hand-overs on the rows a failed round could not move. */
  async recordFailure(horizon: Date, limit: number, error: string): Promise<void> {
    await this.db.writer().query(
      `UPDATE outbox SET attempts = attempts + 1, last_error = ?
         WHERE dispatched_at IS NULL AND available_at <= ? ORDER BY available_at, id LIMIT ?`,
      [error.slice(0, 500), horizon, limit],
    );
  }

  async pendingCount(): Promise<number> {
    const rows = await this.db
      .writer()
      .query<{ n: string }[]>('SELECT COUNT(*) AS n FROM outbox WHERE dispatched_at IS NULL');
    return Number(rows[0]?.n ?? 0);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
