import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../../migrations/index.js';
import { type EntityClass, registeredEntities } from './entity-registry.js';

export interface DataSourceSettings {
  url: string;
  poolSize: number;
  /** Label used in logs and health output: "primary", "replica-0"... */
  name: string;
  /** The entities to map; by default those the feature modules registered. */
  entities?: readonly EntityClass[];
}

/**
 * One DataSource per server. The read/write split is done by DatabaseService above these
 * rather than by TypeORM's `replication` option, whose pool cluster reads only from the
 * replicas with no way back to the primary and drops a failed node for good.
 */
export function createDataSource(settings: DataSourceSettings): DataSource {
  return new DataSource({
    type: 'mysql',
    url: settings.url,
    entities: [...(settings.entities ?? registeredEntities())],
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    supportBigNumbers: true,
    bigNumberStrings: true,
    connectTimeout: 2000,
    // mysql2 otherwise captures a stack trace on every query for its error messages. That was
    // a tenth of the driver's CPU on the delivery worker; errors are told apart by errno, and
    // Node's own async stack traces still show the caller.
    trace: false,
    poolSize: settings.poolSize,
    extra: {
      enableKeepAlive: true,
      keepAliveInitialDelay: 10000,
      maxIdle: settings.poolSize,
      idleTimeout: 60000,
      queueLimit: 500,
      waitForConnections: true,
      // mysql2 gives every connection a prepared-statement cache whose LRU is allocated at its
      // full size up front: 16,000 slots by default, half a megabyte of heap per connection,
      // ten megabytes for two full pools. TypeORM sends text queries and prepares nothing.
      maxPreparedStatements: 64,
    },
  });
}
