import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A person's account on one site. */
@Entity({ name: 'members' })
@Index('uq_members_site_email', ['siteId', 'emailKey'], { unique: true })
export class Member {
  @PrimaryColumn({ type: 'char', length: 36 })
  id!: string;

  @Column({ name: 'site_id', type: 'varchar', length: 32 })
  siteId!: string;

  /** As the member typed it: mail goes there. */
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  /** The address folded to lower case: one account per address per site. */
  @Column({ name: 'email_key', type: 'varchar', length: 254 })
  emailKey!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 100 })
  displayName!: string;

  /** Argon2id in PHC form; null for a member who signs in with emailed links only. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255, nullable: true })
  passwordHash!: string | null;

  @Column({ name: 'email_verified_at', type: 'datetime', precision: 3, nullable: true })
  emailVerifiedAt!: Date | null;

  /** IANA zone reminders are timed in; null: the site's own. */
  @Column({ name: 'time_zone', type: 'varchar', length: 64, nullable: true })
  timeZone!: string | null;

  /** Set when the member turned every reminder off (from an email's link or the page). */
  @Column({ name: 'reminders_stopped_at', type: 'datetime', precision: 3, nullable: true })
  remindersStoppedAt!: Date | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
