import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DatabaseService } from '../platform/database/database.service.js';
import { type DeliveryRecord, DELIVERY_RECORDS_BY_RECIPIENT_IDS } from './greetings.repository.js';
import { type JobRequest, outboxKeyOf } from '../platform/queue/jobs.js';
import { assertTransition, type RecipientStatus, UNSUBSCRIBE_EVENT } from './recipient-state.js';
import { ReportFacts } from '../reports/report-facts.js';
import { OUTCOME_OF_EVENT } from '../reports/report-outcomes.js';

/** Columns a transition may set besides the status; names fixed here, never from input. */
export interface TransitionExtras {
  countAttempt?: boolean;
  deliveredAt?: Date;
  openedAt?: Date;
  lastError?: string | null;
}

export interface StatusChange extends TransitionExtras {
  from: RecipientStatus;
  to: RecipientStatus;
  at: Date;
  /** Kept in the event history (an SMTP reply, who cancelled). */
  detail?: string;
}

/** A new outbox row: the job it becomes and when it is due. */
export interface OutboxEntry {
  job: JobRequest;
  availableAt: Date;
}

/**
 * Recipient status writes. Each change is a conditional UPDATE (only rows still in `from`
 * move) plus a history row, in one transaction, so two processes racing for a recipient
 * cannot both win and every change is on record with its time.
 */
@Injectable()
export class RecipientsRepository {
  constructor(
    private readonly db: DatabaseService,
    private readonly facts: ReportFacts,
  ) {}

  /** Moves the given recipients that are in `change.from`; returns the ids that moved. */
  async transition(ids: string[], change: StatusChange, tx?: EntityManager): Promise<string[]> {
    const transition = assertTransition(change.from, change.to);
    if (ids.length === 0) return [];
    const run = async (m: EntityManager): Promise<string[]> => {
      let moved = ids;
      const [sets, values] = setClause(change);
      if (ids.length > 1) {
        // Lock by primary key only, and filter the status here: with the status in the WHERE
        // clause MariaDB may walk the status index instead, locking gaps there that a send
        // transaction inserting `scheduled` rows then waits on, and the two deadlock.
        const rows = await m.query<{ id: string; status: RecipientStatus }[]>(
          'SELECT id, status FROM greeting_recipients WHERE id IN (?) FOR UPDATE',
          [ids],
        );
        moved = rows.filter((r) => r.status === change.from).map((r) => r.id);
        if (moved.length === 0) return [];
        // The rows are locked and in `from`: the primary key alone picks them.
        await m.query(`UPDATE greeting_recipients SET ${sets} WHERE id IN (?)`, [...values, moved]);
      } else {
        const result = await m.query<{ affectedRows: number }>(
          `UPDATE greeting_recipients SET ${sets} WHERE id = ? AND status = ?`,
          [...values, ids[0], change.from],
        );
        if (result.affectedRows === 0) return [];
      }
      await m.query(
        'INSERT INTO greeting_recipient_events (recipient_id, from_status, to_status, event, at, detail) VALUES ?',
        [
          moved.map((id) => [
            id,
            change.from,
            change.to,
            transition.on,
            change.at,
            change.detail?.slice(0, 500) ?? null,
          ]),
        ],
      );
      const outcome = OUTCOME_OF_EVENT[transition.on];
      if (outcome) await this.facts.record(outcome, moved, change.at, m);
      return moved;
    };
    return tx ? run(tx) : this.db.writeTransaction(run);
  }

  /**
   * Moves groups of recipients this transaction already holds locked (see `lockStatuses`),
   * each group known to be in its `change.from`: one UPDATE per group, in the order given, and
   * one multi-row history INSERT for all of them.
   */
  async transitionLocked(
    groups: { ids: string[]; change: StatusChange }[],
    tx: EntityManager,
  ): Promise<void> {
    const events: unknown[][] = [];
    for (const { ids, change } of groups) {
      if (ids.length === 0) continue;
      const transition = assertTransition(change.from, change.to);
      const [sets, values] = setClause(change);
      // Locked and known to be in `from`; the primary key alone picks them (see `transition`).
      await tx.query(`UPDATE greeting_recipients SET ${sets} WHERE id IN (?)`, [...values, ids]);
      const detail = change.detail?.slice(0, 500) ?? null;
      for (const id of ids) {
        events.push([id, change.from, change.to, transition.on, change.at, detail]);
      }
      const outcome = OUTCOME_OF_EVENT[transition.on];
      if (outcome) await this.facts.record(outcome, ids, change.at, tx);
    }
    if (events.length === 0) return;
    await tx.query(
      'INSERT INTO greeting_recipient_events (recipient_id, from_status, to_status, event, at, detail) VALUES ?',
      [events],
    );
  }

  /** Locks the recipients' rows for this transaction; their statuses as locked, by id. */
  async lockStatuses(ids: string[], tx: EntityManager): Promise<Map<string, RecipientStatus>> {
    if (ids.length === 0) return new Map();
    const locked = await tx.query<{ id: string; status: RecipientStatus }[]>(
      'SELECT id, status FROM greeting_recipients WHERE id IN (?) ORDER BY id FOR UPDATE',
      [ids],
    );
    return new Map(locked.map((r) => [r.id, r.status]));
  }

  /**
   * What the emails of these recipients need, read inside the transaction that locked them.
   * Only recipient rows are locked: MariaDB has no `FOR UPDATE OF`, and locking the joined
   * card row would make every worker wait on the same card.
   */
  async deliveryRecords(ids: string[], tx: EntityManager): Promise<DeliveryRecord[]> {
    if (ids.length === 0) return [];
    return tx.query<DeliveryRecord[]>(DELIVERY_RECORDS_BY_RECIPIENT_IDS, [ids]);
  }

  /** Writes outbox rows; a row whose key exists is left alone (the same job, written twice). */
  async addToOutbox(entries: OutboxEntry[], now: Date, tx?: EntityManager): Promise<void> {
    if (entries.length === 0) return;
    await (tx ?? this.db.writer()).query(
      `INSERT INTO outbox (topic, message_key, payload, available_at, dispatched_at, attempts,
         request_id, site_id, created_at)
       VALUES ? ON DUPLICATE KEY UPDATE id = id`,
      [
        entries.map((e) => [
          e.job.name,
          outboxKeyOf(e.job),
          JSON.stringify(e.job.payload),
          e.availableAt,
          null,
          0,
          e.job.origin?.requestId ?? null,
          e.job.origin?.site ?? null,
          now,
        ]),
      ],
    );
  }

  /** Makes existing outbox rows due again at `availableAt` (reschedule, requeue). */
  async redispatch(jobs: JobRequest[], availableAt: Date, tx?: EntityManager): Promise<void> {
    if (jobs.length === 0) return;
    await (tx ?? this.db.writer()).query(
      'UPDATE outbox SET dispatched_at = NULL, available_at = ?, attempts = 0, last_error = NULL WHERE message_key IN (?)',
      [availableAt, jobs.map(outboxKeyOf)],
    );
  }

  async lockOutbox(jobs: JobRequest[], tx: EntityManager): Promise<void> {
    if (jobs.length === 0) return;
    await tx.query('SELECT id FROM outbox WHERE message_key IN (?) FOR UPDATE', [
      jobs.map(outboxKeyOf),
    ]);
  }

  /** Takes outbox rows out of the relay's way (a cancelled greeting). */
  async retireOutbox(jobs: JobRequest[], at: Date, tx?: EntityManager): Promise<void> {
    if (jobs.length === 0) return;
    await (tx ?? this.db.writer()).query(
      'UPDATE outbox SET dispatched_at = ? WHERE message_key IN (?) AND dispatched_at IS NULL',
      [at, jobs.map(outboxKeyOf)],
    );
  }

  statusOf(recipientId: string): Promise<RecipientStatus | null> {
    return this.db
      .writer()
      .query<{ status: RecipientStatus }[]>('SELECT status FROM greeting_recipients WHERE id = ?', [
        recipientId,
      ])
      .then((rows) => rows[0]?.status ?? null);
  }

  /**
   * The recipient opted out through their email's unsubscribe link: a line in their history
   * (the status stays what it was) and the report's fact, in one transaction and once per
   * recipient, so the reports count exactly the recipients whose history says so. True when
   * this call put it on record.
   */
  async recordUnsubscribe(recipientId: string, at: Date): Promise<boolean> {
    return this.db.writeTransaction(async (m) => {
      const [row] = await m.query<{ status: RecipientStatus }[]>(
        'SELECT status FROM greeting_recipients WHERE id = ? FOR UPDATE',
        [recipientId],
      );
      if (!row) return false;
      const earlier = await m.query<unknown[]>(
        'SELECT 1 FROM greeting_recipient_events WHERE recipient_id = ? AND event = ? LIMIT 1',
        [recipientId, UNSUBSCRIBE_EVENT],
      );
      if (earlier.length > 0) return false;
      await m.query(
        'INSERT INTO greeting_recipient_events (recipient_id, from_status, to_status, event, at) VALUES (?, ?, ?, ?, ?)',
        [recipientId, row.status, row.status, UNSUBSCRIBE_EVENT, at],
      );
      await this.facts.record('unsubscribed', [recipientId], at, m);
      return true;
    });
  }

  /** Sets opened_at on the first open only; true when this call was that first open. */
  async recordFirstOpen(recipientId: string, at: Date, tx: EntityManager): Promise<boolean> {
    const result = await tx.query<{ affectedRows: number }>(
      'UPDATE greeting_recipients SET opened_at = ? WHERE id = ? AND opened_at IS NULL',
      [at, recipientId],
    );
    return result.affectedRows > 0;
  }

  /** Claims up to `limit` unopened recipients for their one reminder. */
  async claimReminders(deliveredBefore: Date, limit: number, at: Date): Promise<string[]> {
    return this.db.writeTransaction(async (m) => {
      const rows = await m.query<{ id: string }[]>(
        `SELECT id FROM greeting_recipients
         WHERE status = 'delivered' AND delivered_at <= ? AND reminded_at IS NULL AND opened_at IS NULL
         ORDER BY delivered_at LIMIT ? FOR UPDATE SKIP LOCKED`,
        [deliveredBefore, limit],
      );
      const ids = rows.map((r) => r.id);
      if (ids.length === 0) return [];
      await m.query(
        'UPDATE greeting_recipients SET reminded_at = ? WHERE id IN (?) AND reminded_at IS NULL',
        [at, ids],
      );
      await this.addToOutbox(
        ids.map((recipientId) => ({
          job: { name: 'send-reminder', payload: { recipientId } },
          availableAt: at,
        })),
        at,
        m,
      );
      return ids;
    });
  }

  failedRecipients(limit: number): Promise<string[]> {
    return this.db
      .writer()
      .query<{ id: string }[]>(
        "SELECT id FROM greeting_recipients WHERE status = 'failed' ORDER BY status_changed_at LIMIT ?",
        [limit],
      )
      .then((rows) => rows.map((r) => r.id));
  }

  inTransaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.writeTransaction(work);
  }
}

function setClause(change: StatusChange): [string, unknown[]] {
  const sets = ['status = ?', 'status_changed_at = ?'];
  const values: unknown[] = [change.to, change.at];
  if (change.countAttempt) sets.push('attempts = attempts + 1');
  if (change.deliveredAt) {
    sets.push('delivered_at = ?');
    values.push(change.deliveredAt);
  }
  if (change.openedAt) {
    sets.push('opened_at = COALESCE(opened_at, ?)');
    values.push(change.openedAt);
  }
  if (change.lastError !== undefined) {
    sets.push('last_error = ?');
    values.push(change.lastError?.slice(0, 500) ?? null);
  }
  return [sets.join(', '), values];
}
