import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Written in the same transaction as the greeting, so "accepted" and "will be delivered" can
 * never disagree; a relay moves these rows to the delivery queue.
 */
@Entity({ name: 'outbox' })
@Index('uq_outbox_message_key', ['messageKey'], { unique: true })
@Index('idx_outbox_pending', ['dispatchedAt', 'availableAt'])
export class OutboxMessage {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  topic!: string;

  /** Deterministic job id downstream: a replayed row adds nothing. */
  @Column({ name: 'message_key', type: 'varchar', length: 64 })
  messageKey!: string;

  @Column({ type: 'json' })
  payload!: Record<string, string>;

  @Column({ name: 'available_at', type: 'datetime', precision: 3 })
  availableAt!: Date;

  @Column({ name: 'dispatched_at', type: 'datetime', precision: 3, nullable: true })
  dispatchedAt!: Date | null;

  @Column({ type: 'int', unsigned: true, default: 0 })
  attempts!: number;

  /** Why the last hand-over to the queue failed, for whoever looks at a stuck row. */
  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  /** The request that wrote the row and its site, handed on to the job (request-context.ts). */
  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true })
  requestId!: string | null;

  @Column({ name: 'site_id', type: 'varchar', length: 32, nullable: true })
  siteId!: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}
