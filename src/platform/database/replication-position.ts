import type { DataSource } from 'typeorm';
import { withTimeout } from '../../common/with-timeout.js';

/** Where a MariaDB primary's binlog stands (`@@gtid_binlog_pos`), and which server said so. */
export interface ReplicationPosition {
  gtid: string;
  serverId: number;
}

/** The primary's position now: a replica holding it holds every write committed before. */
export async function readPrimaryPosition(primary: DataSource): Promise<ReplicationPosition> {
  const [row] = await primary.query<{ gtid: string | null; serverId: number | string }[]>(
    'SELECT @@global.gtid_binlog_pos AS gtid, @@server_id AS serverId',
  );
  return { gtid: row?.gtid ?? '', serverId: Number(row?.serverId ?? 0) };
}

/**
 * Whether a replica holds `position` within `timeoutMs`. The server itself waits
 * (MASTER_GTID_WAIT), so holding it costs one connection and no polling. A "replica" that is the
 * primary itself (one server for both roles) holds it already.
 */
export async function replicaReaches(
  replica: DataSource,
  position: ReplicationPosition,
  timeoutMs: number,
): Promise<boolean> {
  if (position.gtid === '') return true;
  const [self] = await replica.query<{ serverId: number | string }[]>(
    'SELECT @@server_id AS serverId',
  );
  if (Number(self?.serverId) === position.serverId) return true;
  // The server's own timeout ends the wait; ours only guards against a server that hangs.
  const [row] = await withTimeout(
    replica.query<{ reached: number | string | null }[]>(
      'SELECT MASTER_GTID_WAIT(?, ?) AS reached',
      [position.gtid, Math.max(timeoutMs, 0) / 1000],
    ),
    timeoutMs + 2000,
  );
  return Number(row?.reached) === 0;
}
