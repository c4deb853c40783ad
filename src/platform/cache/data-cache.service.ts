import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisBusDriver, redisDriver } from 'bentocache/drivers/redis';
import type { Redis } from 'ioredis';
import { EventEmitter } from 'node:events';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { withTimeout } from '../../common/with-timeout.js';
import { cacheEvents } from '../observability/metrics.js';
import { RedisService } from '../redis/redis.service.js';

export interface DataCacheOptions {
  /** Fresh for this many milliseconds (numbers: no duration string parsed per call). */
  ttlMs: number;
  tags: string[];
}

interface HitEvent {
  layer?: 'l1' | 'l2';
  graced?: boolean;
}

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

  constructor(@Inject(APP_CONFIG) config: AppConfig, redis: RedisService) {
    const emitter = new EventEmitter();
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
          .useL2Layer(redisDriver({ connection: redis.client }))
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
    options: DataCacheOptions,
    load: (addTags: (tags: string[]) => void) => Promise<T>,
  ): Promise<T> {
    return this.bento.getOrSet<T>({
      key,
      ttl: options.ttlMs,
      tags: options.tags,
      factory: (ctx) => load((tags) => ctx.setTags([...options.tags, ...tags])),
    });
  }

  async deleteByTags(tags: string[]): Promise<void> {
    if (tags.includes('all')) {
      await this.bento.clear();
      return;
    }
    await this.bento.deleteByTag({ tags });
  }

  /** Bounded: with Redis away the bus's goodbye would wait for it forever. */
  async onApplicationShutdown(): Promise<void> {
    await withTimeout(this.bento.disconnectAll(), 1000).catch(() => undefined);
    for (const connection of this.busConnections) connection.disconnect();
  }

  /**
   * The bus makes its publish and subscribe connections by duplicating this one. No retry
   * limit: with ioredis's default of 20, a Redis outage made the bus subscription reject
   * unhandled and crash the process; this way it waits for Redis to return. Duplicates are
   * tracked so they get an error listener and are closed at shutdown even if Redis is away.
   */
  private busConnection(redis: RedisService): Redis {
    const template = redis.connect('data-cache-bus', {
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
      lazyConnect: true,
    });
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
