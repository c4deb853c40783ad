import type { Redis } from 'ioredis';
import { withTimeout } from '../../common/with-timeout.js';
import { LRUCache } from 'lru-cache';
import { PageKeys } from './cache-keys.js';
import { unlinkMatching } from '../redis/redis-keys.js';
import { cacheEvents, pageCacheBytes } from '../observability/metrics.js';

export interface PageEntry {
  body: string;
  etag: string;
  /** The response headers stored with the page, name and value in turn. */
  headers: string[];
  tags: string[];
  /** Served as a HIT until then. */
  freshUntil: number;
  /** Served as STALE (while one request refreshes it) until then; dropped after. */
  staleUntil: number;
}

/** Redis calls on the request path give up quickly: a slow Redis must not slow pages. */
const L2_TIMEOUT_MS = 50;

/**
 * Whole rendered pages in two tiers: an in-process LRU bounded by bytes (a hit costs a map
 * read) and Redis shared by every process (a new process starts warm). Tags index both tiers
 * so a purge removes exactly the pages that show what changed.
 */
export class PageCacheStore {
  private readonly l1: LRUCache<string, PageEntry>;
  private readonly keysByTag = new Map<string, Set<string>>();

  constructor(
    private readonly redis: Redis | null,
    maxBytes: number,
  ) {
    this.l1 = new LRUCache<string, PageEntry>({
      maxSize: maxBytes,
      sizeCalculation: (entry, key) => entry.body.length * 2 + key.length * 2 + 256,
      ttl: 0,
      dispose: (entry, key, reason) => {
        this.unindex(key, entry.tags);
        if (reason === 'evict') cacheEvents.inc({ cache: 'page', tier: 'l1', outcome: 'eviction' });
        pageCacheBytes.set(this.l1.calculatedSize);
      },
    });
  }

  getLocal(key: string): PageEntry | undefined {
    return this.l1.get(key);
  }

  /** The shared tier; undefined on a miss, a timeout or Redis being away. */
  async getShared(key: string): Promise<PageEntry | undefined> {
    if (!this.redis || this.redis.status !== 'ready') return undefined;
    try {
      const raw = await withTimeout(this.redis.get(PageKeys.redisEntry(key)), L2_TIMEOUT_MS);
      if (!raw) return undefined;
      const entry = JSON.parse(raw) as PageEntry;
      // An entry stored before pages kept their headers is not one this code can serve.
      if (!Array.isArray(entry.headers) || entry.staleUntil <= Date.now()) return undefined;
      this.setLocal(key, entry);
      return entry;
    } catch {
      cacheEvents.inc({ cache: 'page', tier: 'l2', outcome: 'error' });
      return undefined;
    }
  }

  set(key: string, entry: PageEntry): void {
    this.setLocal(key, entry);
    void this.setShared(key, entry);
  }

  /** Drops pages carrying any of the tags from this process. */
  purgeLocal(tags: readonly string[]): number {
    if (tags.includes('all')) {
      const count = this.l1.size;
      this.l1.clear();
      this.keysByTag.clear();
      return count;
    }
    let count = 0;
    for (const tag of tags) {
      for (const key of [...(this.keysByTag.get(tag) ?? [])]) {
        if (this.l1.delete(key)) count++;
      }
    }
    return count;
  }

  /** Drops pages carrying any of the tags from Redis; every process then purges its own. */
  async purgeShared(tags: readonly string[]): Promise<void> {
    if (!this.redis || this.redis.status !== 'ready') return;
    if (tags.includes('all')) {
      await unlinkMatching(this.redis, 'pc:*');
      return;
    }
    for (const tag of tags) {
      const setKey = PageKeys.redisTag(tag);
      const keys = await this.redis.smembers(setKey);
      const doomed = [setKey, ...keys.map((k) => PageKeys.redisEntry(k))];
      await this.redis.unlink(...doomed);
    }
  }

  private setLocal(key: string, entry: PageEntry): void {
    this.l1.set(key, entry);
    for (const tag of entry.tags) {
      let keys = this.keysByTag.get(tag);
      if (!keys) {
        keys = new Set();
        this.keysByTag.set(tag, keys);
      }
      keys.add(key);
    }
    pageCacheBytes.set(this.l1.calculatedSize);
  }

  private unindex(key: string, tags: readonly string[]): void {
    for (const tag of tags) {
      const keys = this.keysByTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.keysByTag.delete(tag);
    }
  }

  private async setShared(key: string, entry: PageEntry): Promise<void> {
    if (!this.redis || this.redis.status !== 'ready') return;
    const ttlMs = Math.max(1, entry.staleUntil - Date.now());
    try {
      const pipeline = this.redis.multi();
      pipeline.set(PageKeys.redisEntry(key), JSON.stringify(entry), 'PX', ttlMs);
      for (const tag of entry.tags) {
        pipeline.sadd(PageKeys.redisTag(tag), key);
        pipeline.pexpire(PageKeys.redisTag(tag), ttlMs, 'GT');
        pipeline.pexpire(PageKeys.redisTag(tag), ttlMs, 'NX');
      }
      await pipeline.exec();
    } catch {
      cacheEvents.inc({ cache: 'page', tier: 'l2', outcome: 'error' });
    }
  }
}
