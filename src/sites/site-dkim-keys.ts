import { Inject, Injectable, Logger } from '@nestjs/common';
import { generateKeyPair, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { RedisService } from '../platform/redis/redis.service.js';
import { DkimKeySeal } from './dkim-key-seal.js';
import { publicKeyRecordData, selectorFor } from './dkim-records.js';
import type { SiteDkimKeyRow } from './site-dkim-key.js';
import { SiteDkimKeysRepository } from './site-dkim-keys.repository.js';

/** Where an activation is announced; every sending process reloads that site's key. */
export const DKIM_KEYS_CHANNEL = 'ecard:dkim-keys:changed';

/** What receivers verify everywhere; 2048 bits fits a DNS TXT record in two strings. */
const RSA_BITS = 2048;

const makeKeyPair = promisify(generateKeyPair);

/**
 * Sites' own DKIM keys as the console manages them: made (off the event loop; the private half
 * sealed before it is stored), listed, and activated. Activation is announced so every worker
 * signs with the new key within a second; see DkimKeyring for the signing side.
 */
@Injectable()
export class SiteDkimKeys {
  private readonly logger = new Logger('SiteDkimKeys');
  private readonly seal: DkimKeySeal;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly repository: SiteDkimKeysRepository,
    private readonly redis: RedisService,
  ) {
    this.seal = new DkimKeySeal(config.mail.siteKeyEncryptionKey);
  }

  ofSite(siteId: string): Promise<SiteDkimKeyRow[]> {
    return this.repository.ofSite(siteId);
  }

  /** A new key for the site's sending domain, not yet signing anything. */
  async generate(
    siteId: string,
    domain: string,
    createdBy: string | null,
  ): Promise<SiteDkimKeyRow> {
    const { publicKey, privateKey } = await makeKeyPair('rsa', {
      modulusLength: RSA_BITS,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const existing = await this.repository.ofSite(siteId);
    const taken = new Set(existing.filter((k) => k.domain === domain).map((k) => k.selector));
    const key = {
      id: randomUUID(),
      siteId,
      domain,
      selector: selectorFor(new Date(), taken),
      publicKey: publicKeyRecordData(publicKey),
      createdAt: new Date(),
      createdBy,
    };
    await this.repository.insert({
      ...key,
      privateKeySealed: this.seal.seal(privateKey, { siteId, keyId: key.id }),
    });
    return { ...key, activatedAt: null, retiredAt: null };
  }

  /** Makes the key the site's signing key; null when the site has no such key waiting. */
  async activate(
    siteId: string,
    keyId: string,
  ): Promise<{ activated: SiteDkimKeyRow; retired: SiteDkimKeyRow | null } | null> {
    const result = await this.repository.activate(siteId, keyId, new Date());
    if (result) await this.announce(siteId);
    return result;
  }

  private async announce(siteId: string): Promise<void> {
    try {
      await this.redis.client.publish(DKIM_KEYS_CHANNEL, siteId);
    } catch (error) {
      this.logger.warn(
        `DKIM key change not broadcast (workers resync soon): ${(error as Error).message}`,
      );
    }
  }
}
