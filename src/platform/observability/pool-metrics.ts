import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DatabaseService } from '../database/database.service.js';
import {
  dbPoolConnections,
  dbPoolLimit,
  dbPoolWaiting,
  dbReplicaLag,
  readPoolsWith,
} from './worker-metrics.js';

/** The parts of a mysql2 pool we read; its counters are plain queues with a length. */
interface Mysql2PoolView {
  config?: { connectionLimit?: number };
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
}

/**
 * Connection use of every database pool of the process (primary and each replica), read from
 * mysql2's own counters at scrape time, and each replica's lag as its last probe measured it.
 * Read-only: nothing here opens or touches a connection.
 */
@Injectable()
export class PoolMetrics implements OnModuleInit {
  constructor(private readonly db: DatabaseService) {}

  onModuleInit(): void {
    readPoolsWith(() => this.sample());
  }

  sample(): void {
    for (const { name, source } of this.db.dataSources()) {
      const pool = (source.isInitialized ? (source.driver as { pool?: unknown }).pool : null) as
        Mysql2PoolView | null | undefined;
      const open = pool?._allConnections?.length ?? 0;
      const idle = pool?._freeConnections?.length ?? 0;
      dbPoolConnections.set({ store: name, state: 'open' }, open);
      dbPoolConnections.set({ store: name, state: 'idle' }, idle);
      dbPoolConnections.set({ store: name, state: 'busy' }, Math.max(0, open - idle));
      dbPoolWaiting.set({ store: name }, pool?._connectionQueue?.length ?? 0);
      dbPoolLimit.set({ store: name }, pool?.config?.connectionLimit ?? 0);
    }
    for (const member of this.db.health()) {
      if (member.name !== 'primary') dbReplicaLag.set({ store: member.name }, member.lagMs / 1000);
    }
  }
}
