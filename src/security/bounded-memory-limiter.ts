import { LRUCache } from 'lru-cache';
import { type IRateLimiterOptions, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Keys one process's fallback counter holds per limit. Each key is a client address, a network
 * or a mailbox an attacker may vary at will; at this cap one limit holds a few megabytes.
 */
export const FALLBACK_KEYS_PER_LIMIT = 20_000;

interface Count {
  value: number;
  /** Epoch milliseconds, or null for a count that never expires. */
  expiresAt: number | null;
}

/**
 * The store behind RateLimiterMemory, with the same four operations, in an LRU of fixed size
 * instead of an unbounded Map with one timer per key: the insurance limiters run while Redis is
 * away, exactly when a flood of made-up keys would otherwise grow the process without limit.
 * Past the cap the least recently counted key is forgotten (its client starts afresh), the
 * price of a memory that input cannot grow.
 */
class BoundedCounts {
  /**
   * Made on first use: an LRU allocates its arrays for `max` keys up front (about half a
   * megabyte at this cap), and a process whose Redis never goes away never counts here.
   */
  private lru: LRUCache<string, Count> | null = null;

  constructor(private readonly max: number) {}

  private get counts(): LRUCache<string, Count> {
    this.lru ??= new LRUCache<string, Count>({ max: this.max });
    return this.lru;
  }

  get size(): number {
    return this.lru?.size ?? 0;
  }

  incrby(key: string, value: number, durationSec: number): RateLimiterRes {
    const count = this.live(key);
    if (!count) return this.set(key, value, durationSec);
    count.value += value;
    return new RateLimiterRes(0, msLeft(count), count.value, false);
  }

  set(key: string, value: number, durationSec: number): RateLimiterRes {
    const durationMs = durationSec * 1000;
    const count = { value, expiresAt: durationMs > 0 ? Date.now() + durationMs : null };
    this.counts.set(key, count, durationMs > 0 ? { ttl: durationMs } : {});
    return new RateLimiterRes(0, durationMs > 0 ? durationMs : -1, value, true);
  }

  get(key: string): RateLimiterRes | null {
    const count = this.live(key);
    return count ? new RateLimiterRes(0, msLeft(count), count.value, false) : null;
  }

  delete(key: string): boolean {
    return this.counts.delete(key);
  }

  private live(key: string): Count | undefined {
    const count = this.counts.get(key);
    if (count && count.expiresAt !== null && count.expiresAt <= Date.now()) {
      this.counts.delete(key);
      return undefined;
    }
    return count;
  }
}

function msLeft(count: Count): number {
  return count.expiresAt === null ? -1 : count.expiresAt - Date.now();
}

/** RateLimiterMemory whose counts live in a size-capped LRU (see BoundedCounts). */
export class BoundedMemoryLimiter extends RateLimiterMemory {
  private readonly bounded: BoundedCounts;

  constructor(options: IRateLimiterOptions, maxKeys = FALLBACK_KEYS_PER_LIMIT) {
    super(options);
    this.bounded = new BoundedCounts(maxKeys);
    // The library reads its store from this field in every operation.
    (this as unknown as { _memoryStorage: BoundedCounts })._memoryStorage = this.bounded;
  }

  /** Keys held now, for the test that a flood of them does not grow it. */
  get keysHeld(): number {
    return this.bounded.size;
  }
}
