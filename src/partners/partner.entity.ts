import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { PartnerRole } from './partner-roles.js';

/** A company whose co-branded sites the platform runs. */
@Entity({ name: 'partners' })
export class Partner {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id!: string;

  @Column({ type: 'varchar', length: 80 })
  name!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}

/** Someone who signs in to the console: an operator (no partner) or one partner's staff. */
@Entity({ name: 'partner_people' })
@Index('uq_partner_people_email', ['emailKey'], { unique: true })
@Index('ix_partner_people_partner', ['partnerId'])
export class PartnerPerson {
  @PrimaryColumn({ type: 'char', length: 36 })
  id!: string;

  @Column({ name: 'partner_id', type: 'varchar', length: 32, nullable: true })
  partnerId!: string | null;

  @Column({ type: 'varchar', length: 254 })
  email!: string;

  /** Folded to lower case: one person per address across the whole console. */
  @Column({ name: 'email_key', type: 'varchar', length: 254 })
  emailKey!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: PartnerRole;

  /** Argon2id in PHC form; null until the invite's link has been used. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255, nullable: true })
  passwordHash!: string | null;

  /** Base32 TOTP secret once enrolled; sign-in then asks for a code. */
  @Column({ name: 'totp_secret', type: 'varchar', length: 64, nullable: true })
  totpSecret!: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}

/** Which partner owns a site, and the draft its people are editing (a whole definition). */
@Entity({ name: 'partner_sites' })
@Index('ix_partner_sites_partner', ['partnerId'])
export class PartnerSite {
  @PrimaryColumn({ name: 'site_id', type: 'varchar', length: 32 })
  siteId!: string;

  @Column({ name: 'partner_id', type: 'varchar', length: 32 })
  partnerId!: string;

  @Column({ type: 'longtext', nullable: true })
  draft!: string | null;

  @Column({ name: 'draft_by', type: 'char', length: 36, nullable: true })
  draftBy!: string | null;

  @Column({ name: 'draft_at', type: 'datetime', precision: 3, nullable: true })
  draftAt!: Date | null;
}

/** One change made through the console: who, what, and the state before and after. */
@Entity({ name: 'partner_audit' })
@Index('ix_partner_audit_partner', ['partnerId', 'id'])
export class PartnerAuditEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'datetime', precision: 3 })
  at!: Date;

  @Column({ name: 'actor_id', type: 'char', length: 36, nullable: true })
  actorId!: string | null;

  @Column({ name: 'actor_role', type: 'varchar', length: 16 })
  actorRole!: string;

  @Column({ name: 'partner_id', type: 'varchar', length: 32, nullable: true })
  partnerId!: string | null;

  @Column({ name: 'site_id', type: 'varchar', length: 32, nullable: true })
  siteId!: string | null;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ name: 'before_json', type: 'longtext', nullable: true })
  beforeJson!: string | null;

  @Column({ name: 'after_json', type: 'longtext', nullable: true })
  afterJson!: string | null;
}

/** A hostname a site asked for, live only once its token was found served on it. */
@Entity({ name: 'partner_hostnames' })
@Index('ix_partner_hostnames_site', ['siteId'])
export class PartnerHostname {
  @PrimaryColumn({ type: 'varchar', length: 253 })
  hostname!: string;

  @Column({ name: 'site_id', type: 'varchar', length: 32 })
  siteId!: string;

  /** Served by the partner at /.well-known/ecard-verify/<token> on the hostname. */
  @Column({ type: 'char', length: 43 })
  token!: string;

  @Column({ name: 'requested_at', type: 'datetime', precision: 3 })
  requestedAt!: Date;

  @Column({ name: 'verified_at', type: 'datetime', precision: 3, nullable: true })
  verifiedAt!: Date | null;
}

export const PARTNER_ENTITIES = [
  Partner,
  PartnerPerson,
  PartnerSite,
  PartnerAuditEntry,
  PartnerHostname,
];
