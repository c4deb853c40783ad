import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Someone in a member's address book. */
@Entity({ name: 'contacts' })
@Index('uq_contacts_member_email', ['memberId', 'emailKey'], { unique: true })
@Index('idx_contacts_site_member', ['siteId', 'memberId'])
export class Contact {
  @PrimaryColumn({ type: 'char', length: 36 })
  id!: string;

  @Column({ name: 'site_id', type: 'varchar', length: 32 })
  siteId!: string;

  @Column({ name: 'member_id', type: 'char', length: 36 })
  memberId!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 254 })
  email!: string;

  /** The address folded to lower case: one contact per address per member. */
  @Column({ name: 'email_key', type: 'varchar', length: 254 })
  emailKey!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}

/** A contact's named day: a birthday, an anniversary, or any date the member names. */
@Entity({ name: 'contact_dates' })
@Index('idx_contact_dates_contact', ['contactId'])
@Index('idx_contact_dates_member', ['memberId'])
export class ContactDate {
  @PrimaryColumn({ type: 'char', length: 36 })
  id!: string;

  @Column({ name: 'contact_id', type: 'char', length: 36 })
  contactId!: string;

  @Column({ name: 'member_id', type: 'char', length: 36 })
  memberId!: string;

  @Column({ type: 'varchar', length: 40 })
  label!: string;

  @Column({ type: 'tinyint', unsigned: true })
  month!: number;

  @Column({ type: 'tinyint', unsigned: true })
  day!: number;

  /** Known for some birthdays; reminders only need the month and day. */
  @Column({ type: 'smallint', unsigned: true, nullable: true })
  year!: number | null;
}

/** A named group of contacts ("Family"), picked on the compose form as one. */
@Entity({ name: 'contact_groups' })
@Index('uq_contact_groups_member_name', ['memberId', 'name'], { unique: true })
export class ContactGroup {
  @PrimaryColumn({ type: 'char', length: 36 })
  id!: string;

  @Column({ name: 'site_id', type: 'varchar', length: 32 })
  siteId!: string;

  @Column({ name: 'member_id', type: 'char', length: 36 })
  memberId!: string;

  @Column({ type: 'varchar', length: 60 })
  name!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}

@Entity({ name: 'contact_group_members' })
@Index('idx_contact_group_members_contact', ['contactId'])
export class ContactGroupMember {
  @PrimaryColumn({ name: 'group_id', type: 'char', length: 36 })
  groupId!: string;

  @PrimaryColumn({ name: 'contact_id', type: 'char', length: 36 })
  contactId!: string;
}

export const ADDRESS_BOOK_ENTITIES = [Contact, ContactDate, ContactGroup, ContactGroupMember];
