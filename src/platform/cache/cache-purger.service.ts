import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { cachePurges } from '../observability/metrics.js';
import { RedisService } from '../redis/redis.service.js';
import { isValidTag, PURGE_CHANNEL } from './cache-keys.js';
import { DataCache } from './data-cache.service.js';
import { PageCacheStore } from './page-cache-store.js';

/**
 * Purge by tag, everywhere: the shared tiers are cleared here, and one pub/sub message makes
 * every process drop its in-memory pages (bentocache's own bus does the same for data).
 */
@Injectable()
export class CachePurger implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('CachePurger');
  private subscriber: Redis | null = null;

  constructor(
    private readonly pages: PageCacheStore,
    private readonly data: DataCache,
    private readonly redis: RedisService,
  ) {}

  onModuleInit(): void {
    // A subscriber re-subscribes itself after reconnecting; it must queue that while offline.
    // On the cache role's Redis, beside the pages it invalidates (see DataCache's bus).
    const subscriber = this.redis.connect(
      'cache-purge-sub',
      { maxRetriesPerRequest: null, enableOfflineQueue: true },
      'cache',
    );
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== PURGE_CHANNEL) return;
      const tags = parseTags(message);
      if (tags.length === 0) return;
      this.pages.purgeLocal(tags);
      cachePurges.inc({ origin: 'bus' });
    });
    // Not awaited: with Redis away the subscription waits for it, and boot must not.
    subscriber.subscribe(PURGE_CHANNEL).catch((error: Error) => {
      this.logger.warn(`cannot subscribe to purges yet: ${error.message}`);
    });
    this.subscriber = subscriber;
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscriber?.disconnect();
  }

  /** Removes every cached page and data entry carrying any of the tags, in every process. */
  async purge(tags: readonly string[]): Promise<{ tags: string[] }> {
    const valid = [...new Set(tags.filter(isValidTag))];
    if (valid.length === 0) return { tags: [] };
    // Data first, then shared pages, then local pages: a page re-rendered in between must not
    // be built from old data or refilled from an old shared copy.
    await this.step('data', () => this.data.deleteByTags(valid));
    await this.step('shared pages', () => this.pages.purgeShared(valid));
    this.pages.purgeLocal(valid);
    cachePurges.inc({ origin: 'local' });
    await this.step('broadcast', () =>
      this.redis.cache.publish(PURGE_CHANNEL, JSON.stringify(valid)),
    );
    return { tags: valid };
  }

  /** A store being away must not stop the rest of the purge. */
  private async step(what: string, run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (error) {
      this.logger.warn(`purge step "${what}" failed: ${(error as Error).message}`);
    }
  }
}

function parseTags(message: string): string[] {
  try {
    const value: unknown = JSON.parse(message);
    return Array.isArray(value)
      ? value.filter((t): t is string => typeof t === 'string' && isValidTag(t))
      : [];
  } catch {
    return [];
  }
}
