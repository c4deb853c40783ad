import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { createPrivateKey } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { DkimKey } from '../platform/mail/outgoing-mail.js';
import { RedisService } from '../platform/redis/redis.service.js';
import { DkimKeySeal } from './dkim-key-seal.js';
import { alignsWith, domainOf } from './dkim-records.js';
import { DKIM_KEYS_CHANNEL } from './site-dkim-keys.js';
import type { SealedDkimKey } from './site-dkim-key.js';
import { SiteDkimKeysRepository } from './site-dkim-keys.repository.js';
import type { Site } from './site.js';
import { closeConnection } from '../platform/redis/close-connection.js';

/** How long boot waits for the database before sending with the keys it has (none). */
const BOOT_LOAD_MS = 3000;

interface HeldKey extends DkimKey {
  id: string;
}

/**
 * Every site's active DKIM key, opened once and held in the sending process, so signing an
 * email costs no database read. An activation is announced over Redis and that site's key is
 * read again; the process also compares key ids every SITES_RESYNC_MS, so a missed message or
 * a Redis restart heals by itself.
 */
@Injectable()
export class DkimKeyring implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DkimKeyring');
  private readonly seal: DkimKeySeal;
  private readonly keys = new Map<string, HeldKey>();
  /** Keys that did not open (another encryption key): reported once, not on every resync. */
  private readonly unopenable = new Set<string>();
  private subscriber: Redis | null = null;
  private timer: NodeJS.Timeout | null = null;
  private resyncing: Promise<void> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: SiteDkimKeysRepository,
    private readonly redis: RedisService,
  ) {
    this.seal = new DkimKeySeal(config.mail.siteKeyEncryptionKey);
  }

  async onApplicationBootstrap(): Promise<void> {
    const subscriber = this.redis.connect('dkim-keys-sub', {
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
    });
    subscriber.on('message', (channel: string, siteId: string) => {
      if (channel === DKIM_KEYS_CHANNEL) void this.reload([siteId]);
    });
    subscriber.on('ready', () => void this.resync());
    subscriber.subscribe(DKIM_KEYS_CHANNEL).catch((error: Error) => {
      this.logger.warn(`cannot subscribe to DKIM key changes yet: ${error.message}`);
    });
    this.subscriber = subscriber;
    // Boot waits for the keys a moment, so the first emails are signed as they should be, but
    // never for a database that does not answer: the resync timer loads them later.
    await Promise.race([this.resync(), delay(BOOT_LOAD_MS)]);
    this.timer = setInterval(() => void this.resync(), this.config.siteSync.resyncMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.subscriber) await closeConnection(this.subscriber);
  }

  /**
   * The site's own key when it has one that aligns with its From address; null otherwise, and
   * the mail platform signs with the platform's key (DKIM_*), if any. A key made for a sending
   * domain the site no longer uses would sign unaligned, so it is not used.
   */
  signingFor(site: Site): DkimKey | null {
    const key = this.keys.get(site.id);
    if (!key || !alignsWith(domainOf(site.email.fromAddress), key.domainName)) return null;
    return { domainName: key.domainName, keySelector: key.keySelector, privateKey: key.privateKey };
  }

  /** Compares the active key of every site with the database and reloads the ones that differ. */
  resync(): Promise<void> {
    this.resyncing ??= this.compare().finally(() => {
      this.resyncing = null;
    });
    return this.resyncing;
  }

  private async compare(): Promise<void> {
    try {
      const active = await this.repository.activeIds();
      for (const siteId of [...this.keys.keys()]) {
        if (!active.has(siteId)) this.keys.delete(siteId);
      }
      const stale = [...active].filter(
        ([siteId, id]) => this.keys.get(siteId)?.id !== id && !this.unopenable.has(id),
      );
      if (stale.length > 0) await this.reload(stale.map(([siteId]) => siteId));
    } catch (error) {
      this.logger.warn(`DKIM key resync failed: ${(error as Error).message}`);
    }
  }

  private async reload(siteIds: readonly string[]): Promise<void> {
    try {
      const found = await this.repository.activeOf(siteIds);
      for (const siteId of siteIds) {
        if (!found.some((k) => k.siteId === siteId)) this.keys.delete(siteId);
      }
      for (const key of found) this.hold(key);
    } catch (error) {
      this.logger.warn(
        `DKIM key reload failed (next resync tries again): ${(error as Error).message}`,
      );
    }
  }

  private hold(key: SealedDkimKey): void {
    if (this.keys.get(key.siteId)?.id === key.id) return;
    try {
      const pem = this.seal.open(key.privateKeySealed, { siteId: key.siteId, keyId: key.id });
      this.keys.set(key.siteId, {
        id: key.id,
        domainName: key.domain,
        keySelector: key.selector,
        privateKey: createPrivateKey(pem),
      });
      this.logger.log({ event: 'dkim-key-loaded', siteId: key.siteId, selector: key.selector });
    } catch (error) {
      // Sealed under another DKIM_KEY_ENCRYPTION_KEY, or changed: sign as if it had none.
      this.keys.delete(key.siteId);
      this.unopenable.add(key.id);
      this.logger.error(
        `DKIM key ${key.id} of site ${key.siteId} cannot be opened: ${(error as Error).message}`,
      );
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
