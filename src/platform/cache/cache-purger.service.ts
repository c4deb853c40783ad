import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Redis } from 'ioredis';
import { setTimeout as delay } from 'node:timers/promises';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { DatabaseService } from '../database/database.service.js';
import type { ReplicationPosition } from '../database/replication-position.js';
import { cachePurges } from '../observability/metrics.js';
import { RedisService } from '../redis/redis.service.js';
import { isValidTag, purgeChannel } from './cache-keys.js';
import { DataCache } from './data-cache.service.js';
import { PageCacheStore } from './page-cache-store.js';
import { closeConnection } from '../redis/close-connection.js';

/** How long a purge made while a replica is behind keeps waiting for it, one second at a time. */
const CATCH_UP_LIMIT_MS = 5 * 60_000;
const CATCH_UP_STEP_MS = 1000;

interface LaggingPurge {
  position: ReplicationPosition;
  tags: Set<string>;
}

/**
 * Purge by tag, everywhere: the shared tiers are cleared here, and one pub/sub message makes
 * every process drop its in-memory pages (bentocache's own bus does the same for data).
 *
 * A purge follows a change written to the primary, and the pages it clears are rebuilt from
 * replicas: it goes out once the replicas hold the change, so no process rebuilds a page from
 * the old rows and keeps it. A replica still behind after `purgeReplicaWaitMs` does not hold
 * the purge back longer; it is made again when that replica catches up.
 */
@Injectable()
export class CachePurger implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('CachePurger');
  private subscriber: Redis | null = null;
  /** One wait for lagging replicas per process, however many purges are behind them. */
  private lagging: LaggingPurge | null = null;
  private catchingUp = false;
  private closed = false;
  private readonly channel: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly pages: PageCacheStore,
    private readonly data: DataCache,
    private readonly redis: RedisService,
    private readonly db: DatabaseService,
  ) {
    this.channel = purgeChannel(config.delivery.queuePrefix);
  }

  onModuleInit(): void {
    // A subscriber re-subscribes itself after reconnecting; it must queue that while offline.
    // On the cache role's Redis, beside the pages it invalidates (see DataCache's bus).
    const subscriber = this.redis.connect(
      'cache-purge-sub',
      { maxRetriesPerRequest: null, enableOfflineQueue: true },
      'cache',
    );
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const tags = parseTags(message);
      if (tags.length === 0) return;
      this.pages.purgeLocal(tags);
      cachePurges.inc({ origin: 'bus' });
    });
    // Not awaited: with Redis away the subscription waits for it, and boot must not.
    subscriber.subscribe(this.channel).catch((error: Error) => {
      this.logger.warn(`cannot subscribe to purges yet: ${error.message}`);
    });
    this.subscriber = subscriber;
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    if (this.subscriber) await closeConnection(this.subscriber);
  }

  /**
   * Removes every cached page and data entry carrying any of the tags, in every process, once
   * the replicas hold what the primary has committed (or the wait is over).
   */
  async purge(tags: readonly string[]): Promise<{ tags: string[] }> {
    const valid = [...new Set(tags.filter(isValidTag))];
    if (valid.length === 0) return { tags: [] };
    const position = await this.db.replicationPosition().catch(() => null);
    const held =
      position === null ||
      (await this.db.replicasReach(position, this.config.cache.purgeReplicaWaitMs));
    await this.purgeNow(valid);
    if (!held && position !== null) this.purgeAgainWhenHeld(position, valid);
    return { tags: valid };
  }

  private async purgeNow(valid: string[]): Promise<void> {
    // Data first, then shared pages, then local pages: a page re-rendered in between must not
    // be built from old data or refilled from an old shared copy.
    await this.step('data', () => this.data.deleteByTags(valid));
    await this.step('shared pages', () => this.pages.purgeShared(valid));
    this.pages.purgeLocal(valid);
    cachePurges.inc({ origin: 'local' });
    await this.step('broadcast', () =>
      this.redis.cache.publish(this.channel, JSON.stringify(valid)),
    );
  }

  /** A later position holds every earlier one, so one wait covers every purge behind it. */
  private purgeAgainWhenHeld(position: ReplicationPosition, tags: string[]): void {
    this.lagging = { position, tags: new Set([...(this.lagging?.tags ?? []), ...tags]) };
    if (this.catchingUp) return;
    this.catchingUp = true;
    this.logger.warn('a replica is behind: purging again once it holds the change');
    void this.catchUp(Date.now() + CATCH_UP_LIMIT_MS);
  }

  private async catchUp(deadline: number): Promise<void> {
    try {
      while (this.lagging && !this.closed) {
        const waitingFor = this.lagging;
        const started = Date.now();
        const held = await this.db.replicasReach(waitingFor.position, CATCH_UP_STEP_MS);
        if (!held && Date.now() < deadline) {
          // A replica that fails at once must not turn the wait into a busy loop.
          await delay(Math.max(0, started + CATCH_UP_STEP_MS - Date.now()));
          continue;
        }
        if (!held) this.logger.warn('a replica is still behind: purging without it');
        if (this.lagging === waitingFor) this.lagging = null;
        await this.purgeNow([...waitingFor.tags]);
      }
    } finally {
      // In the same turn as the last check of `lagging`: a purge arriving now starts a new wait.
      this.catchingUp = false;
    }
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
