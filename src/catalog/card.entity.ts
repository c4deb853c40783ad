import {
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { CREATED_AT, UPDATED_AT } from './row-timestamps.js';
import { Occasion } from './occasion.entity.js';

@Entity({ name: 'cards' })
@Index('uq_cards_slug', ['slug'], { unique: true })
@Index('idx_cards_occasion_order', ['occasionId', 'sortOrder'])
@Index('idx_cards_style', ['style'])
@Index('idx_cards_created', ['createdAt'])
@Index('ft_cards_search', ['title', 'description', 'insideText', 'tags'], { fulltext: true })
export class Card {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ type: 'varchar', length: 120 })
  slug!: string;

  @Column({ name: 'occasion_id', type: 'int', unsigned: true })
  @ForeignKey(() => Occasion, {
    name: 'fk_cards_occasion',
    onDelete: 'RESTRICT',
    onUpdate: 'RESTRICT',
  })
  occasionId!: number;

  @Column({ type: 'varchar', length: 160 })
  title!: string;

  @Column({ type: 'varchar', length: 500 })
  description!: string;

  /** Printed verse; may hold site placeholders such as {brandName}, replaced per site. */
  @Column({ name: 'inside_text', type: 'varchar', length: 1000 })
  insideText!: string;

  /** Words a search finds the card by besides its own texts ("balloons party"), space-separated. */
  @Column({ type: 'varchar', length: 255, default: '' })
  tags!: string;

  /** One of CARD_STYLES: how the artwork looks, a filter of the search page. */
  @Column({ type: 'varchar', length: 16, default: 'pastel' })
  style!: string;

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

  @CreateDateColumn(CREATED_AT)
  createdAt!: Date;

  @UpdateDateColumn(UPDATED_AT)
  updatedAt!: Date;
}
