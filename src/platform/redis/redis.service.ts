import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Redis, RedisOptions } from 'ioredis';
import { withTimeout } from '../../common/with-timeout.js';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { DependencyHealth } from '../resilience/dependency-health.js';
import { StoreBreaker } from '../resilience/store-breaker.js';
import { createRedisClient } from './redis-client.js';
import { closeConnection } from './close-connection.js';

/**
 * What a connection is for. `queue`: state that must never be dropped (queues, spool, limits,
 * locks, flags), on a Redis that refuses writes rather than evict. `cache`: what can be rebuilt
 * (the caches' shared tier and their invalidations), on a Redis that evicts when full, so no
 * amount of cached data can stop a greeting from being queued.
 */
export type RedisRole = 'queue' | 'cache';

const PROBE_INTERVAL_MS = 500;
const PROBE_TIMEOUT_MS = 500;

/**
 * The shared Redis connections of a web or worker process, one per role (a single connection
 * when both roles use the same Redis). Commands fail fast while Redis is away (no offline
 * queue) so a request never hangs on it; callers fall back instead. A PING every 500 ms to the
 * queue role's Redis feeds its circuit breaker, which health, metrics and callers read; the
 * cache callers watch their connection's status and fall back to memory or the database.
 */
@Injectable()
export class RedisService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  /** The queue role's connection. */
  readonly client: Redis;
  /** The cache role's connection. */
  readonly cache: Redis;
  private readonly breaker = new StoreBreaker('redis');
  private probeTimer: NodeJS.Timeout | null = null;
  private probing = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.client = this.connect('main');
    this.cache =
      config.redisCacheUrl === config.redisUrl ? this.client : this.connect('cache', {}, 'cache');
  }

  /** A new connection with the same settings, for subscribers and queue workers. */
  connect(
    name: string,
    overrides: Pick<
      RedisOptions,
      'maxRetriesPerRequest' | 'enableOfflineQueue' | 'lazyConnect'
    > = {},
    role: RedisRole = 'queue',
  ): Redis {
    const url = role === 'cache' ? this.config.redisCacheUrl : this.config.redisUrl;
    const client = createRedisClient(url, {
      connectionName: `ecard-${name}`,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
      ...overrides,
    });
    client.on('error', (error: Error) => {
      this.logger.debug?.(`${name}: ${error.message}`);
    });
    return client;
  }

  /** Gives Redis a moment at boot; a process still starts (and serves pages) without it. */
  async onModuleInit(): Promise<void> {
    if (this.client.status !== 'ready') {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.logger.warn('Redis not reachable at boot; continuing without it');
          resolve();
        }, 2000);
        timer.unref();
        this.client.once('ready', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await this.probe();
    this.probeTimer = setInterval(() => void this.probe(), PROBE_INTERVAL_MS);
    this.probeTimer.unref();
  }

  async ping(timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
    if (this.client.status !== 'ready') return false;
    return withTimeout(this.client.ping(), timeoutMs).then(
      (answer) => answer === 'PONG',
      () => false,
    );
  }

  /** Whether Redis answered its last probe and its breaker is closed. */
  available(): boolean {
    return this.breaker.up;
  }

  dependency(): DependencyHealth {
    return this.breaker.health();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.probeTimer) clearInterval(this.probeTimer);
    await Promise.all(
      [...new Set([this.client, this.cache])].map((connection) => closeConnection(connection)),
    );
  }

  private async probe(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    const wasUp = this.breaker.up;
    const up = await this.breaker.probe(async () => {
      if (!(await this.ping())) throw new Error('Redis did not answer PING');
    });
    this.probing = false;
    if (up !== wasUp) {
      if (up) this.logger.log('Redis is up');
      else this.logger.warn('Redis unreachable');
    }
  }
}
