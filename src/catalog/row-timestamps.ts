import type { ColumnOptions } from 'typeorm';

/**
 * The catalogue tables' own timestamps, as the migrations declare them: millisecond precision,
 * kept by MariaDB. Left to TypeORM, the defaults would read CURRENT_TIMESTAMP(6).
 */
export const CREATED_AT: ColumnOptions = {
  name: 'created_at',
  type: 'datetime',
  precision: 3,
  default: () => 'CURRENT_TIMESTAMP(3)',
};

export const UPDATED_AT: ColumnOptions = {
  ...CREATED_AT,
  name: 'updated_at',
  onUpdate: 'CURRENT_TIMESTAMP(3)',
};
