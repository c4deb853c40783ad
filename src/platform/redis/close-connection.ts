import type { Redis } from 'ioredis';
import { withTimeout } from '../../common/with-timeout.js';

/** Statuses in which a socket is open or opening, so closing it ends with an `end` event. */
const SOCKET_STATUSES = new Set(['wait', 'connecting', 'connect', 'ready']);

/** Long enough for a busy Redis to answer a FIN; short enough that a stuck one cannot hold shutdown. */
const CLOSE_WAIT_MS = 1000;

/**
 * Closes a connection and resolves once its socket has closed (or after a bounded wait).
 * ioredis's `disconnect()` returns at once; the socket closes when Redis answers the FIN (0.1 to
 * 0.4 s on a busy machine here), and until then a ref'd 2 s timer of ioredis's keeps the event
 * loop alive. With shutdown hooks that only called it, `app.close()` resolved with sockets still
 * open: their close events arrived after a test file had been torn down, and a jest worker could
 * not exit in the time jest gives it. Pending replies still arrive: `disconnect()` ends the write
 * side, and Redis answers what it already read before it closes.
 */
export async function closeConnection(connection: Redis, waitMs = CLOSE_WAIT_MS): Promise<void> {
  if (connection.status === 'end') return;
  if (!SOCKET_STATUSES.has(connection.status)) {
    // Reconnecting: no socket is left to wait for, only a retry to cancel. ioredis still arms
    // its 2 s timer for the socket that already closed; only a shutdown with Redis away pays it.
    connection.disconnect();
    return;
  }
  const ended = new Promise<void>((resolve) => connection.once('end', () => resolve()));
  connection.disconnect();
  await withTimeout(ended, waitMs).catch(() => undefined);
}
