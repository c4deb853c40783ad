import { Redis, type RedisOptions } from 'ioredis';
import { parseRedisUrl } from '../../config/redis-url.js';

/** Every Redis connection of the platform is made here, so each one understands Sentinel. */
export function createRedisClient(url: string, options: RedisOptions): Redis {
  const target = parseRedisUrl(url);
  if (target.kind === 'server') return new Redis(url, options);
  return new Redis({ ...options, ...target.options });
}
