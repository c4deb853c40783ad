import type { Redis } from 'ioredis';

/** Every key of `redis` matching `pattern`, found with SCAN as a live server allows. */
export async function keysMatching(redis: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  for await (const keys of redis.scanStream({ match: pattern, count: 1000 })) {
    found.push(...(keys as string[]));
  }
  return found;
}
