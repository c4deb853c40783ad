import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A key a partner made for one of its sites; the secret itself is never stored. */
@Entity({ name: 'site_api_keys' })
@Index('uq_site_api_keys_secret', ['secretSha256'], { unique: true })
@Index('ix_site_api_keys_site', ['siteId'])
export class SiteApiKeyRow {
  @PrimaryColumn({ type: 'char', length: 36 })
  id!: string;

  @Column({ name: 'site_id', type: 'varchar', length: 32 })
  siteId!: string;

  @Column({ type: 'varchar', length: 60 })
  name!: string;

  /** Comma-separated `SiteKeyScope`s. */
  @Column({ type: 'varchar', length: 64 })
  scopes!: string;

  @Column({ name: 'secret_sha256', type: 'char', length: 64 })
  secretSha256!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'char', length: 36, nullable: true })
  createdBy!: string | null;

  @Column({ name: 'revoked_at', type: 'datetime', precision: 3, nullable: true })
  revokedAt!: Date | null;
}
