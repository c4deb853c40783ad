import type { Redis } from 'ioredis';

/**
 * Every key matching `pattern`, removed a SCAN page at a time: never KEYS, which would hold a
 * shared Redis up for as long as it takes to walk all of it.
 */
export async function unlinkMatching(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}
