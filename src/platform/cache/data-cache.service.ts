import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisBusDriver, redisDriver } from 'bentocache/drivers/redis';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { EventEmitter } from 'node:events';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { withTimeout } from '../../common/with-timeout.js';
import { cacheEvents } from '../observability/metrics.js';
import { RedisService } from '../redis/redis.service.js';
import { closeConnection } from '../redis/close-connection.js';

export interface DataCacheOptions<T = unknown> {
  /** Fresh for this many milliseconds (numbers: no duration string parsed per call). */
  ttlMs: number;
  tags: string[];
  /**
   * Whether a loaded value says "nothing there" (an unknown card, an empty page). Such a value
   * is kept a few seconds in this process only (see `ABSENT_MS`), never in Redis: the keys of
   * things that do not exist are the caller's to invent, without end.
   */
  absent?: (value: T) => boolean;
}

interface HitEvent {
  layer?: 'l1' | 'l2';
  graced?: boolean;
}

/** A value bentocache answered, kept as is for a moment (see `DataCache.snapshot`). */
interface SnapshotEntry {
  value: unknown;
  until: number;
}

/**
 * How long the snapshot may answer for bentocache. Purges and bus messages empty it at once;
 * this bound only means bentocache's own freshness and grace decisions are never more than
 * this far behind, even if a bus message were lost.
 */
const SNAPSHOT_MS = 1000;
const SNAPSHOT_MAX_ENTRIES = 10_000;
/** Long enough to absorb a burst of requests for one missing thing, short enough to notice it appear. */
const ABSENT_MS = 5000;
const ABSENT_MAX_ENTRIES = 10_000;

/**
 * Catalog data in two tiers: objects in process memory (L1) and Redis (L2), kept coherent
 * across processes by bentocache's bus. It gives stampede protection (one loader per key),
 * grace (stale data served while refreshing, or while MariaDB is down) and soft timeouts (a
 * slow database answers from grace after 150 ms instead of holding the request).
 */
@Injectable()
export class DataCache implements OnApplicationShutdown {
  private readonly busConnections: Redis[] = [];
  private readonly bento: BentoCache<{ catalog: ReturnType<typeof bentostore> }>;
  /**
   * Per-process snapshot in front of bentocache: a hit is one Map read, where a bentocache
   * L1 hit costs an options object, a tag check and a JSON parse (about 14 µs each, several
   * times per page). Values are deep-frozen and shared by every reader. Each invalidation
   * bumps `generation`, so a load that started before a purge cannot store its old value
   * after it.
   */
  private readonly snapshot = new Map<string, SnapshotEntry>();
  private generation = 0;
  /** Values that said "nothing there", bounded by count and time; not in bentocache at all. */
  private readonly absent = new LRUCache<string, { value: unknown }>({
    max: ABSENT_MAX_ENTRIES,
    ttl: ABSENT_MS,
    ttlAutopurge: false,
  });
  private readonly snapshotHits = cacheEvents.tally({ cache: 'data', tier: 'l1', outcome: 'hit' });

  constructor(@Inject(APP_CONFIG) config: AppConfig, redis: RedisService) {
    const emitter = new EventEmitter();
    // Another process set, expired, deleted or cleared something (a tag purge is a set of the
    // tag's key): drop the whole snapshot rather than work out which entries it touches.
    emitter.on('bus:message:received', () => this.invalidateSnapshot());
    emitter.on('cache:hit', (event: HitEvent) =>
      cacheEvents.inc({
        cache: 'data',
        tier: event.layer ?? 'l1',
        outcome: event.graced ? 'stale' : 'hit',
      }),
    );
    emitter.on('cache:miss', () => cacheEvents.inc({ cache: 'data', tier: 'l2', outcome: 'miss' }));
    this.bento = new BentoCache({
      default: 'catalog',
      prefix: 'dc',
      emitter,
      grace: 24 * 3600_000,
      graceBackoff: 10_000,
      timeout: 150,
      hardTimeout: 3000,
      suppressL2Errors: true,
      l2CircuitBreakerDuration: 5000,
      stores: {
        catalog: bentostore()
          // Serialized, so L1 is bounded by bytes (and bentocache's bus invalidation works:
          // with serialize off it throws on every invalidation message in 1.6).
          .useL1Layer(
            memoryDriver({
              maxItems: config.cache.dataL1MaxItems,
              maxSize: config.cache.dataL1MaxBytes,
              maxEntrySize: 1024 * 1024,
            }),
          )
          .useL2Layer(redisDriver({ connection: redis.cache }))
          // The bus lives on the cache role's Redis, beside the L2 entries it keeps L1s
          // coherent with: a message and the entry it is about share one fate (both gone
          // with that Redis, when every process falls back to its own L1 and the database),
          // and invalidation bursts (a purge of everything) never load the queues' Redis.
          .useBus(redisBusDriver({ connection: this.busConnection(redis) })),
      },
    });
  }

  /**
   * The cached value, or the loader's. The loader may add tags it only learns from the data
   * (a card's occasion, say) so purging those also drops this entry.
   */
  getOrSet<T>(
    key: string,
    options: DataCacheOptions<T>,
    load: (addTags: (tags: string[]) => void) => Promise<T>,
  ): Promise<T> {
    const value = this.peek<T>(key);
    if (value !== undefined) return Promise.resolve(value);
    return this.loadThrough(key, options, load);
  }

  /**
   * The value if this process read it in the last moments, without a promise; for the hottest
   * reads (a card page), which then build their options and loader only on a miss.
   */
  peek<T>(key: string): T | undefined {
    const entry = this.snapshot.get(key);
    if (entry === undefined || entry.until <= Date.now()) {
      const absent = this.absent.get(key);
      return absent === undefined ? undefined : (absent.value as T);
    }
    this.snapshotHits.inc();
    return entry.value as T;
  }

  async deleteByTags(tags: string[]): Promise<void> {
    this.invalidateSnapshot();
    try {
      if (tags.includes('all')) {
        await this.bento.clear();
        return;
      }
      await this.bento.deleteByTag({ tags });
    } finally {
      // Again once bentocache is done: a load that ran meanwhile may hold the old value.
      this.invalidateSnapshot();
    }
  }

  private async loadThrough<T>(
    key: string,
    options: DataCacheOptions<T>,
    load: (addTags: (tags: string[]) => void) => Promise<T>,
  ): Promise<T> {
    const generation = this.generation;
    const isAbsent = options.absent;
    let nothing: { value: T } | null = null;
    const value = await this.bento.getOrSet<T>({
      key,
      ttl: options.ttlMs,
      tags: options.tags,
      factory: async (ctx) => {
        const loaded = await load((tags) => ctx.setTags([...options.tags, ...tags]));
        if (isAbsent === undefined || !isAbsent(loaded)) return loaded;
        // Skipped, bentocache stores nothing: neither in its L1 nor in Redis.
        nothing = { value: loaded };
        return ctx.skip() as T;
      },
    });
    const absent = nothing as { value: T } | null;
    if (absent !== null) {
      if (generation === this.generation) {
        this.absent.set(key, absent, { ttl: Math.min(ABSENT_MS, options.ttlMs) });
      }
      return absent.value;
    }
    if (generation === this.generation) {
      if (this.snapshot.size >= SNAPSHOT_MAX_ENTRIES) this.snapshot.clear();
      this.snapshot.set(key, {
        value: deepFreeze(value),
        until: Date.now() + Math.min(SNAPSHOT_MS, options.ttlMs),
      });
    }
    return value;
  }

  private invalidateSnapshot(): void {
    this.generation++;
    this.snapshot.clear();
    this.absent.clear();
  }

  /** Bounded: with Redis away the bus's goodbye would wait for it forever. */
  async onApplicationShutdown(): Promise<void> {
    await withTimeout(this.bento.disconnectAll(), 1000).catch(() => undefined);
    await Promise.all(this.busConnections.map((connection) => closeConnection(connection)));
  }

  /**
   * The bus makes its publish and subscribe connections by duplicating this one. No retry
   * limit: with ioredis's default of 20, a Redis outage made the bus subscription reject
   * unhandled and crash the process; this way it waits for Redis to return. Duplicates are
   * tracked so they get an error listener and are closed at shutdown even if Redis is away.
   */
  private busConnection(redis: RedisService): Redis {
    const template = redis.connect(
      'data-cache-bus',
      { maxRetriesPerRequest: null, enableOfflineQueue: true, lazyConnect: true },
      'cache',
    );
    const duplicate = template.duplicate.bind(template);
    template.duplicate = (override) => {
      const connection = duplicate(override);
      connection.on('error', () => undefined);
      this.busConnections.push(connection);
      return connection;
    };
    return template;
  }
}

/** Snapshot values are shared by every request: a reader that mutates one must fail loudly. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
