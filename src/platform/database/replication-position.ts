import type { DataSource } from 'typeorm';
import { withTimeout } from '../../common/with-timeout.js';

/** A GTID list (`0-1-41571`): a replica holding it holds every write committed before it. */
export type ReplicationPosition = string;

/** A server's id and GTID position; the position is null on a server without GTIDs (MySQL). */
export interface ServerPosition {
  serverId: number | null;
  gtid: ReplicationPosition | null;
}

/** The primary's binlog position, or what a replica has applied. */
const POSITION_SQL = {
  primary: 'SELECT @@server_id AS serverId, @@global.gtid_binlog_pos AS gtid',
  replica: 'SELECT @@server_id AS serverId, @@global.gtid_slave_pos AS gtid',
} as const;

export async function readPosition(
  source: DataSource,
  role: keyof typeof POSITION_SQL,
): Promise<ServerPosition> {
  const [row] = await source.query<{ serverId: number | string | null; gtid: string | null }[]>(
    POSITION_SQL[role],
  );
  return {
    serverId: row?.serverId === null || row?.serverId === undefined ? null : Number(row.serverId),
    gtid: typeof row?.gtid === 'string' ? row.gtid : null,
  };
}

/**
 * Whether a replica holds `position` within `timeoutMs`. The server itself waits
 * (MASTER_GTID_WAIT), so holding it costs one connection and no polling.
 */
export async function waitForPosition(
  replica: DataSource,
  position: ReplicationPosition,
  timeoutMs: number,
): Promise<boolean> {
  // The server's own timeout ends the wait; ours only guards against a server that hangs.
  const [row] = await withTimeout(
    replica.query<{ reached: number | string | null }[]>(
      'SELECT MASTER_GTID_WAIT(?, ?) AS reached',
      [position, Math.max(timeoutMs, 0) / 1000],
    ),
    timeoutMs + 2000,
  );
  return Number(row?.reached) === 0;
}
