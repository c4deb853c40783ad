import { Inject, Injectable, Logger } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { RedisService } from '../platform/redis/redis.service.js';

const WINDOW_SECONDS = 60;
/** Clients this process remembers as over budget; the count itself is shared in Redis. */
const MAX_SPENT_CLIENTS = 10_000;

/**
 * How many catalog lookups of things that do not exist each client may make per minute, on the
 * routes whose lookup keys come from the URL (a slug, an occasion, an offset, a media file name):
 * each one that names nothing costs a database query, and a client asking for many is guessing
 * or flooding. Counted in Redis (all processes share the count) with an in-memory fallback. A process
 * remembers a client that spent its budget, so refusing it is a map read before any lookup;
 * a client spreading over several processes gets at most one more miss in each.
 */
@Injectable()
export class CatalogMissBudget {
  private readonly logger = new Logger('CatalogMissBudget');
  private readonly limiter: RateLimiterRedis;
  /** Client -> when its window ends (ms). */
  private readonly spent = new LRUCache<string, number>({ max: MAX_SPENT_CLIENTS });

  constructor(@Inject(APP_CONFIG) config: AppConfig, redis: RedisService) {
    const points = config.cache.missesPerMinute;
    this.limiter = new RateLimiterRedis({
      storeClient: redis.client,
      keyPrefix: `${config.delivery.queuePrefix}:rl:catalog-misses`,
      points,
      duration: WINDOW_SECONDS,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({
        keyPrefix: 'catalog-misses',
        points,
        duration: WINDOW_SECONDS,
      }),
    });
  }

  /** Seconds until the client may look things up again, or null when it may now. No I/O. */
  blocked(client: string): number | null {
    const until = this.spent.get(client);
    if (until === undefined) return null;
    const left = until - Date.now();
    if (left > 0) return Math.ceil(left / 1000);
    this.spent.delete(client);
    return null;
  }

  /** Counts one lookup that found nothing; the one that spends the budget blocks the client. */
  async missed(client: string): Promise<void> {
    try {
      const state = await this.limiter.consume(client, 1);
      if (state.remainingPoints <= 0) this.block(client, state.msBeforeNext);
    } catch (error) {
      if (error instanceof RateLimiterRes) this.block(client, error.msBeforeNext);
      else this.logger.warn(`cannot count a catalog miss: ${(error as Error).message}`);
    }
  }

  private block(client: string, ms: number): void {
    this.spent.set(client, Date.now() + Math.max(1000, ms));
  }
}
