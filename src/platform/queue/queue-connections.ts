import type { Redis, RedisOptions } from 'ioredis';
import { createRedisClient } from '../redis/redis-client.js';

export type ConnectionRole = 'producer' | 'worker' | 'subscriber';

/**
 * Redis connections for BullMQ and the nudge channel, one kind per role:
 * - producers fail fast while Redis is away (no offline queue, one retry), so a web request or
 *   a relay round never hangs on it; the outbox keeps the work and the relay tries again;
 * - workers wait through an outage (`maxRetriesPerRequest: null`, as BullMQ requires for its
 *   blocking reads) and carry on when Redis returns;
 * - subscribers queue their SUBSCRIBE until connected and resubscribe after a reconnect.
 * The URL may name Sentinels (see redis-url.ts): the connection then follows the master.
 */
export function queueConnection(url: string, role: ConnectionRole, name: string): Redis {
  const common: RedisOptions = {
    connectionName: `ecard-${name}`,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  };
  const byRole: Record<ConnectionRole, RedisOptions> = {
    producer: { enableOfflineQueue: false, maxRetriesPerRequest: 1 },
    worker: { enableOfflineQueue: true, maxRetriesPerRequest: null },
    subscriber: { enableOfflineQueue: true, maxRetriesPerRequest: null, autoResubscribe: true },
  };
  const client = createRedisClient(url, { ...common, ...byRole[role] });
  // Connection errors are expected during an outage and handled by the callers' fallbacks;
  // without a listener ioredis would print each one.
  client.on('error', () => undefined);
  return client;
}
