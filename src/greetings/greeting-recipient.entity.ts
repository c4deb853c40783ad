import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { Greeting } from './greeting.entity.js';
import type { RecipientStatus } from './recipient-state.js';

@Entity({ name: 'greeting_recipients' })
@Index('idx_recipients_greeting', ['greetingId', 'position'])
@Index('idx_recipients_reminder', ['status', 'deliveredAt'])
export class GreetingRecipient {
  /** 128 random bits, base64url; the pickup token is this id plus its keyed MAC. */
  @PrimaryColumn({ type: 'char', length: 22, charset: 'ascii', collation: 'ascii_bin' })
  id!: string;

  @Column({ name: 'greeting_id', type: 'char', length: 36 })
  @ForeignKey(() => Greeting, {
    name: 'fk_recipients_greeting',
    onDelete: 'RESTRICT',
    onUpdate: 'RESTRICT',
  })
  greetingId!: string;

  @Column({ type: 'smallint', unsigned: true })
  position!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: RecipientStatus;

  @Column({ type: 'int', unsigned: true, default: 0 })
  attempts!: number;

  @Column({ name: 'status_changed_at', type: 'datetime', precision: 3 })
  statusChangedAt!: Date;

  @Column({ name: 'delivered_at', type: 'datetime', precision: 3, nullable: true })
  deliveredAt!: Date | null;

  @Column({ name: 'opened_at', type: 'datetime', precision: 3, nullable: true })
  openedAt!: Date | null;

  /** Set when the one reminder went out; a recipient is never reminded twice. */
  @Column({ name: 'reminded_at', type: 'datetime', precision: 3, nullable: true })
  remindedAt!: Date | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}
