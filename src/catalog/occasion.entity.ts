import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { CREATED_AT, UPDATED_AT } from './row-timestamps.js';

/** An occasion groups cards ("Birthday", "Thank you"); sites pick the occasions they carry. */
@Entity({ name: 'occasions' })
@Index('uq_occasions_slug', ['slug'], { unique: true })
@Index('ft_occasions_name', ['name'], { fulltext: true })
export class Occasion {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ type: 'varchar', length: 64 })
  slug!: string;

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ type: 'varchar', length: 500 })
  description!: string;

  @Column({ name: 'sort_order', type: 'int' })
  sortOrder!: number;

  @CreateDateColumn(CREATED_AT)
  createdAt!: Date;

  @UpdateDateColumn(UPDATED_AT)
  updatedAt!: Date;
}
