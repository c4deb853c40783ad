import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { linkOriginTag } from '../config/public-url-config.js';
import { RedisService } from '../platform/redis/redis.service.js';
import { SiteRegistry } from '../sites/site-registry.js';
import type { FlagKey } from '../config/flag-registry.js';
import { type FlagOverride, FlagSnapshot, type SiteFlagDefaults } from './flag-snapshot.js';
import { flagSyncs } from './flag-metrics.js';
import { FlagsRepository } from './flags.repository.js';
import { closeConnection } from '../platform/redis/close-connection.js';

/** How long boot waits for the first load before serving with defaults. */
const BOOT_LOAD_MS = 2000;

export interface FlagStoreStatus {
  snapshotVersion: number;
  lastSyncAt: Date | null;
  /** Set while the latest reload failed: values are the last known good ones. */
  lastError: string | null;
}

/**
 * The process's evaluated flags. Overrides live in MariaDB; a change is broadcast over Redis
 * and every process reloads them, and each also reloads every few seconds, so a missed message
 * or a Redis restart heals by itself. Requests only read `snapshot`: no I/O per evaluation.
 */
@Injectable()
export class FlagStore implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Flags');
  private sites: readonly SiteFlagDefaults[];
  private readonly channel: string;
  private overrides: readonly FlagOverride[] = [];
  private shedFlags: ReadonlySet<FlagKey> = new Set();
  private version = 0;
  private current: FlagSnapshot;
  private subscriber: Redis | null = null;
  private timer: NodeJS.Timeout | null = null;
  private loading: Promise<void> | null = null;
  private reloadAgain = false;
  private lastSyncAt: Date | null = null;
  private lastError: string | null = null;
  private readonly listeners: (() => void)[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: FlagsRepository,
    private readonly redis: RedisService,
    registry: SiteRegistry,
  ) {
    this.sites = siteDefaultsOf(registry);
    // A site added or changed (features, or anything its pages show) gets a new snapshot.
    registry.onChange(() => {
      this.sites = siteDefaultsOf(registry);
      this.swap();
    });
    this.channel = `ecard:flags:${config.flags.namespace}`;
    this.current = this.build();
  }

  get snapshot(): FlagSnapshot {
    return this.current;
  }

  get namespace(): string {
    return this.config.flags.namespace;
  }

  status(): FlagStoreStatus {
    return {
      snapshotVersion: this.current.version,
      lastSyncAt: this.lastSyncAt,
      lastError: this.lastError,
    };
  }

  /** Called after every new snapshot (the OpenFeature provider turns it into an event). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  async onModuleInit(): Promise<void> {
    const subscriber = this.redis.connect('flags-sub', {
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
    });
    subscriber.on('message', (channel: string) => {
      if (channel === this.channel) void this.reload('bus');
    });
    // After a reconnect a message may have been missed: reload at once rather than at the next tick.
    subscriber.on('ready', () => void this.reload('reconnect'));
    // Not awaited: with Redis away the subscription waits for it, and boot must not.
    subscriber.subscribe(this.channel).catch((error: Error) => {
      this.logger.warn(`cannot subscribe to flag changes yet: ${error.message}`);
    });
    this.subscriber = subscriber;
    await Promise.race([this.reload('boot'), delay(BOOT_LOAD_MS)]);
    this.timer = setInterval(() => void this.reload('resync'), this.config.flags.resyncMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.subscriber) await closeConnection(this.subscriber);
  }

  /** Reloads overrides; concurrent calls share one load and one more runs if asked meanwhile. */
  reload(origin: 'boot' | 'bus' | 'resync' | 'reconnect' | 'local'): Promise<void> {
    if (this.loading) {
      this.reloadAgain = true;
      return this.loading;
    }
    this.loading = this.load(origin).finally(() => {
      this.loading = null;
      if (this.reloadAgain) {
        this.reloadAgain = false;
        void this.reload(origin);
      }
    });
    return this.loading;
  }

  /** Tells every other process to reload now. Failure only delays them until their resync. */
  async broadcast(): Promise<void> {
    try {
      await this.redis.client.publish(this.channel, String(Date.now()));
    } catch (error) {
      this.logger.warn(
        `flag change not broadcast (others resync soon): ${(error as Error).message}`,
      );
    }
  }

  /** The autopilot's decision for this process only: shed flags evaluate to off. */
  setShed(flags: ReadonlySet<FlagKey>): void {
    this.shedFlags = new Set(flags);
    this.swap();
  }

  private async load(origin: string): Promise<void> {
    try {
      const overrides = await this.repository.overrides(this.config.flags.namespace);
      this.lastSyncAt = new Date();
      this.lastError = null;
      flagSyncs.inc({ origin, outcome: 'ok' });
      if (sameOverrides(overrides, this.overrides)) return;
      this.overrides = overrides;
      this.swap();
    } catch (error) {
      // Keep serving the last known good snapshot; the next resync tries again.
      this.lastError = (error as Error).message;
      flagSyncs.inc({ origin, outcome: 'error' });
      this.logger.warn(`flag reload failed, keeping last known values: ${this.lastError}`);
    }
  }

  private swap(): void {
    this.current = this.build();
    for (const listener of this.listeners) listener();
  }

  private build(): FlagSnapshot {
    this.version++;
    return new FlagSnapshot(
      this.sites,
      this.overrides,
      this.shedFlags,
      this.version,
      // Pages carry absolute links (canonical tag, og:image): processes building them another
      // way (host style, scheme, port) must not share cached pages through the Redis tier.
      `${this.config.version}.${linkOriginTag(this.config.publicUrl)}`,
    );
  }
}

function siteDefaultsOf(registry: SiteRegistry): SiteFlagDefaults[] {
  return registry.sites.map((s) => ({ id: s.id, features: s.features, revision: s.revision }));
}

function sameOverrides(a: readonly FlagOverride[], b: readonly FlagOverride[]): boolean {
  if (a.length !== b.length) return false;
  const key = (o: FlagOverride) => `${o.flagKey}|${o.siteId ?? ''}|${o.value}|${o.percentage}`;
  const seen = new Set(b.map(key));
  return a.every((o) => seen.has(key(o)));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
