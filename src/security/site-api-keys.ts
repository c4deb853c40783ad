import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { DatabaseService } from '../platform/database/database.service.js';
import { RedisService } from '../platform/redis/redis.service.js';
import { closeConnection } from '../platform/redis/close-connection.js';

/** What a site's key may do: post sends, and read the catalog's JSON API. */
/** How a site key's caller is named (`site-key:<id>`), apart from operators' keys. */
export const SITE_KEY_CALLER_PREFIX = 'site-key:';

export const SITE_KEY_SCOPES = ['send', 'read-catalog', 'read-reports'] as const;
export type SiteKeyScope = (typeof SITE_KEY_SCOPES)[number];

/** A live key as the edge needs it. */
export interface SiteKey {
  id: string;
  siteId: string;
  scopes: readonly SiteKeyScope[];
}

/** A key as the console lists it. */
export interface SiteKeyView extends SiteKey {
  name: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/** Where a revocation is announced; every web process drops the key from its cache. */
export const REVOKED_KEYS_CHANNEL = 'ecard:api-keys:revoked';

/** Site keys start with this, so a leaked one is recognisable to secret scanners. */
const SECRET_PREFIX = 'eck_';
const SECRET_SHAPE = /^eck_[A-Za-z0-9_-]{43}$/;
/** A live key is read again after this, so a missed revocation message still ends in time. */
const FOUND_TTL_MS = 60_000;
/** Unknown secrets are remembered briefly, so one guesser repeating itself costs no queries. */
const MISSING_TTL_MS = 1_000;
const CACHE_LIMIT = 10_000;

interface Cached {
  key: SiteKey | null;
  until: number;
}

interface KeyRow {
  id: string;
  siteId: string;
  name: string;
  scopes: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/**
 * API keys bound to one site, made and revoked in the partner console. The edge asks `resolve`
 * for every keyed request that no operator key (API_KEYS) matched; the answer is cached by the
 * secret's hash, and a revocation is published so every process forgets the key at once.
 */
@Injectable()
export class SiteApiKeys implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SiteApiKeys');
  private readonly cache = new Map<string, Cached>();
  private subscriber: Redis | null = null;

  constructor(
    private readonly db: DatabaseService,
    private readonly redis: RedisService,
  ) {}

  onApplicationBootstrap(): void {
    const subscriber = this.redis.connect('api-keys-sub', {
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
    });
    subscriber.on('message', (channel: string, digest: string) => {
      if (channel === REVOKED_KEYS_CHANNEL) this.cache.delete(digest);
    });
    // After a reconnect a revocation may have been missed: start afresh.
    subscriber.on('ready', () => this.cache.clear());
    subscriber.subscribe(REVOKED_KEYS_CHANNEL).catch((error: Error) => {
      this.logger.warn(`cannot subscribe to key revocations yet: ${error.message}`);
    });
    this.subscriber = subscriber;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.subscriber) await closeConnection(this.subscriber);
  }

  /** The live key a secret is, or null (unknown, revoked, malformed). */
  async resolve(secret: string): Promise<SiteKey | null> {
    if (!SECRET_SHAPE.test(secret)) return null;
    const digest = digestOf(secret);
    const now = Date.now();
    const cached = this.cache.get(digest);
    if (cached && cached.until > now) return cached.key;
    const rows = await this.db.writer().query<KeyRow[]>(
      `SELECT id, site_id AS siteId, scopes FROM site_api_keys
         WHERE secret_sha256 = ? AND revoked_at IS NULL`,
      [digest],
    );
    const row = rows[0];
    const key = row ? { id: row.id, siteId: row.siteId, scopes: scopesOf(row.scopes) } : null;
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(digest, { key, until: now + (key ? FOUND_TTL_MS : MISSING_TTL_MS) });
    return key;
  }

  /** A new key; its secret is returned this once and never again. */
  async create(
    siteId: string,
    name: string,
    scopes: readonly SiteKeyScope[],
    createdBy: string | null,
  ): Promise<{ key: SiteKeyView; secret: string }> {
    const secret = SECRET_PREFIX + randomBytes(32).toString('base64url');
    const key: SiteKeyView = {
      id: randomUUID(),
      siteId,
      name,
      scopes: [...scopes],
      createdAt: new Date(),
      revokedAt: null,
    };
    await this.db.writer().query(
      `INSERT INTO site_api_keys (id, site_id, name, scopes, secret_sha256, created_at,
         created_by, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)`,
      [key.id, siteId, name, scopes.join(','), digestOf(secret), key.createdAt, createdBy],
    );
    // A process that was asked for this secret a moment ago remembers "unknown" for a second.
    await this.announce(digestOf(secret));
    return { key, secret };
  }

  async ofSite(siteId: string): Promise<SiteKeyView[]> {
    const rows = await this.db.writer().query<KeyRow[]>(
      `SELECT id, site_id AS siteId, name, scopes, created_at AS createdAt,
         revoked_at AS revokedAt FROM site_api_keys WHERE site_id = ? ORDER BY created_at, id`,
      [siteId],
    );
    return rows.map((r) => ({ ...r, scopes: scopesOf(r.scopes) }));
  }

  /** Ends a key of the site at once, everywhere; null when the site has no such live key. */
  async revoke(siteId: string, id: string): Promise<SiteKeyView | null> {
    const rows = await this.db.writer().query<(KeyRow & { digest: string })[]>(
      `SELECT id, site_id AS siteId, name, scopes, created_at AS createdAt,
         revoked_at AS revokedAt, secret_sha256 AS digest FROM site_api_keys
         WHERE id = ? AND site_id = ? AND revoked_at IS NULL`,
      [id, siteId],
    );
    const row = rows[0];
    if (!row) return null;
    const revokedAt = new Date();
    await this.db
      .writer()
      .query('UPDATE site_api_keys SET revoked_at = ? WHERE id = ?', [revokedAt, id]);
    this.cache.delete(row.digest);
    await this.announce(row.digest);
    return {
      id: row.id,
      siteId: row.siteId,
      name: row.name,
      scopes: scopesOf(row.scopes),
      createdAt: row.createdAt,
      revokedAt,
    };
  }

  private async announce(digest: string): Promise<void> {
    try {
      await this.redis.client.publish(REVOKED_KEYS_CHANNEL, digest);
    } catch (error) {
      this.logger.warn(
        `key change not broadcast (caches expire within a minute): ${(error as Error).message}`,
      );
    }
  }
}

function digestOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function scopesOf(raw: string): SiteKeyScope[] {
  return SITE_KEY_SCOPES.filter((s) => raw.split(',').includes(s));
}
