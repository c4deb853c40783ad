import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { RedisService } from '../platform/redis/redis.service.js';
import { parseSiteDefinition, siteFromDefinition } from './site-definition.js';
import { SiteRegistry } from './site-registry.js';
import type { Site } from './site.js';
import { type StoredSite, SitesRepository } from './sites.repository.js';
import { closeConnection } from '../platform/redis/close-connection.js';

/** Where a saved site is announced; every web and worker process listens. */
export const SITES_CHANNEL = 'ecard:sites:changed';

/** How long boot waits for the database before serving the folder definitions it has. */
const BOOT_LOAD_MS = 3000;

interface SiteChangeMessage {
  id: string;
  revision: number;
}

/**
 * Keeps the process's SiteRegistry equal to the sites table. A save is announced over Redis
 * and every process reads that site from the primary and patches its maps; each also compares
 * revisions every few seconds, so a missed message or a Redis restart heals by itself. Until
 * the database first answers, the process serves the definitions in its `sites/` folders.
 */
@Injectable()
export class SiteSync implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Sites');
  private subscriber: Redis | null = null;
  private timer: NodeJS.Timeout | null = null;
  private resyncing: Promise<void> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: SitesRepository,
    private readonly registry: SiteRegistry,
    private readonly redis: RedisService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const subscriber = this.redis.connect('sites-sub', {
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
    });
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== SITES_CHANNEL) return;
      const change = parseMessage(message);
      if (change && (this.registry.get(change.id)?.revision ?? -1) < change.revision) {
        void this.reload([change.id]);
      }
    });
    // After a reconnect a message may have been missed: compare at once.
    subscriber.on('ready', () => void this.resync());
    // Not awaited: with Redis away the subscription waits for it, and boot must not.
    subscriber.subscribe(SITES_CHANNEL).catch((error: Error) => {
      this.logger.warn(`cannot subscribe to site changes yet: ${error.message}`);
    });
    this.subscriber = subscriber;
    await Promise.race([this.loadAll(), delay(BOOT_LOAD_MS)]);
    this.timer = setInterval(() => void this.resync(), this.config.siteSync.resyncMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.subscriber) await closeConnection(this.subscriber);
  }

  /** Applies a site just saved by this process and tells every other process to read it. */
  async announce(stored: StoredSite): Promise<Site | null> {
    const [site] = this.apply([stored]);
    const message: SiteChangeMessage = { id: stored.id, revision: stored.revision };
    try {
      await this.redis.client.publish(SITES_CHANNEL, JSON.stringify(message));
    } catch (error) {
      this.logger.warn(
        `site change not broadcast (others resync soon): ${(error as Error).message}`,
      );
    }
    return site ?? null;
  }

  /** Reads the named sites from the primary and applies the newer ones. */
  async reload(ids: readonly string[]): Promise<void> {
    try {
      this.apply(await this.repository.byIds(ids));
    } catch (error) {
      this.logger.warn(`site reload failed (next resync tries again): ${(error as Error).message}`);
    }
  }

  /** Compares every site's revision with the database and reloads the ones that differ. */
  resync(): Promise<void> {
    this.resyncing ??= this.compare().finally(() => {
      this.resyncing = null;
    });
    return this.resyncing;
  }

  private async compare(): Promise<void> {
    try {
      const stored = await this.repository.revisions();
      const stale = [...stored].filter(
        ([id, rev]) => (this.registry.get(id)?.revision ?? -1) < rev,
      );
      if (stale.length > 0) await this.reload(stale.map(([id]) => id));
    } catch (error) {
      this.logger.warn(`site resync failed: ${(error as Error).message}`);
    }
  }

  private async loadAll(): Promise<void> {
    try {
      const stored = await this.repository.all();
      this.apply(stored);
      if (stored.length === 0) {
        this.logger.log('no site in the database yet: serving the sites/ folders (run seed)');
      }
    } catch (error) {
      this.logger.warn(
        `sites not loaded from the database, serving the sites/ folders: ${(error as Error).message}`,
      );
    }
  }

  /**
   * Parses and applies stored sites newer than the ones held (a slow read must not put back an
   * older version). A definition that no longer validates, or that clashes with another site's
   * hostname, is logged and skipped: the process keeps serving the last good one.
   */
  private apply(stored: readonly StoredSite[]): Site[] {
    const sites: Site[] = [];
    for (const row of stored) {
      if ((this.registry.get(row.id)?.revision ?? -1) >= row.revision) continue;
      try {
        const definition = parseSiteDefinition(JSON.parse(row.definition), `site ${row.id}`);
        const site = siteFromDefinition(definition, this.config, row.revision);
        this.registry.check(site);
        sites.push(site);
      } catch (error) {
        this.logger.error(
          `site ${row.id} revision ${row.revision} skipped: ${(error as Error).message}`,
        );
      }
    }
    this.registry.putMany(sites);
    return sites;
  }
}

function parseMessage(message: string): SiteChangeMessage | null {
  try {
    const value = JSON.parse(message) as Partial<SiteChangeMessage>;
    return typeof value.id === 'string' && typeof value.revision === 'number'
      ? { id: value.id, revision: value.revision }
      : null;
  } catch {
    return null;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
