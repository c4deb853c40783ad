import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

@Entity({ name: 'cards' })
@Index('idx_cards_occasion_order', ['occasionId', 'sortOrder'])
export class Card {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ type: 'varchar', length: 120, unique: true })
  slug!: string;

  @Column({ name: 'occasion_id', type: 'int', unsigned: true })
  occasionId!: number;

  @Column({ type: 'varchar', length: 160 })
  title!: string;

  @Column({ type: 'varchar', length: 500 })
  description!: string;

  /** Printed verse; may hold site placeholders such as {brandName}, replaced per site. */
  @Column({ name: 'inside_text', type: 'varchar', length: 1000 })
  insideText!: string;

  @Column({ name: 'artwork_svg', type: 'mediumtext' })
  artworkSvg!: string;

  @Column({ name: 'thumbnail_svg', type: 'mediumtext' })
  thumbnailSvg!: string;

  /** Content hash of the artwork, part of the image URL so it can be cached forever. */
  @Column({ name: 'artwork_hash', type: 'char', length: 12 })
  artworkHash!: string;

  @Column({ type: 'boolean', default: false })
  featured!: boolean;

  @Column({ name: 'sort_order', type: 'int' })
  sortOrder!: number;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
