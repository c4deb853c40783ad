import type { Redis } from 'ioredis';

/**
 * Every key matching `pattern`, removed a SCAN page at a time (ioredis's scan stream): never
 * KEYS, which would hold a shared Redis up for as long as it takes to walk all of it.
 */
export async function unlinkMatching(redis: Redis, pattern: string): Promise<void> {
  for await (const keys of redis.scanStream({ match: pattern, count: 500 })) {
    const page = keys as string[];
    if (page.length > 0) await redis.unlink(...page);
  }
}
