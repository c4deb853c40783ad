import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A card a member starred. */
@Entity({ name: 'member_favourites' })
@Index('idx_member_favourites_site', ['siteId', 'memberId'])
export class MemberFavourite {
  @PrimaryColumn({ name: 'member_id', type: 'char', length: 36 })
  memberId!: string;

  @PrimaryColumn({ name: 'card_slug', type: 'varchar', length: 120 })
  cardSlug!: string;

  @Column({ name: 'site_id', type: 'varchar', length: 32 })
  siteId!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}
