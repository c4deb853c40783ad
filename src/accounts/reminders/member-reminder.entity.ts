import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** "Remind me N days before": a contact's date or one of the site's dated occasions. */
@Entity({ name: 'member_reminders' })
@Index('idx_member_reminders_member', ['memberId'])
@Index('idx_member_reminders_site', ['siteId'])
@Index('idx_member_reminders_date', ['contactDateId'])
export class MemberReminder {
  @PrimaryColumn({ type: 'char', length: 36 })
  id!: string;

  @Column({ name: 'site_id', type: 'varchar', length: 32 })
  siteId!: string;

  @Column({ name: 'member_id', type: 'char', length: 36 })
  memberId!: string;

  /** Exactly one of this and `occasionSlug` is set. */
  @Column({ name: 'contact_date_id', type: 'char', length: 36, nullable: true })
  contactDateId!: string | null;

  @Column({ name: 'occasion_slug', type: 'varchar', length: 64, nullable: true })
  occasionSlug!: string | null;

  @Column({ name: 'days_before', type: 'smallint', unsigned: true })
  daysBefore!: number;

  /** The occurrence (its date) last reminded of: once a year, whoever scans. */
  @Column({ name: 'last_sent_for', type: 'date', nullable: true })
  lastSentFor!: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}
