import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An uploaded logo, re-encoded as PNG, named by the SHA-256 of those bytes. */
@Entity({ name: 'site_logos' })
@Index('ix_site_logos_site', ['siteId'])
export class SiteLogo {
  @PrimaryColumn({ type: 'char', length: 64 })
  hash!: string;

  @Column({ name: 'site_id', type: 'varchar', length: 32 })
  siteId!: string;

  @Column({ type: 'int' })
  width!: number;

  @Column({ type: 'int' })
  height!: number;

  @Column({ type: 'mediumblob' })
  body!: Buffer;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}
