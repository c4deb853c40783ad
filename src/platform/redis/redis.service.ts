import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import { withTimeout } from '../../common/with-timeout.js';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';

/**
 * The shared Redis connection of a web or worker process. Commands fail fast while Redis is
 * away (no offline queue) so a request never hangs on it; callers fall back instead.
 */
@Injectable()
export class RedisService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  readonly client: Redis;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.client = this.connect('main');
  }

  /** A new connection with the same settings, for subscribers and queue workers. */
  connect(
    name: string,
    overrides: Pick<
      RedisOptions,
      'maxRetriesPerRequest' | 'enableOfflineQueue' | 'lazyConnect'
    > = {},
  ): Redis {
    const client = new Redis(this.config.redisUrl, {
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
    if (this.client.status === 'ready') return;
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

  async ping(timeoutMs = 500): Promise<boolean> {
    if (this.client.status !== 'ready') return false;
    return withTimeout(this.client.ping(), timeoutMs).then(
      (answer) => answer === 'PONG',
      () => false,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.client.disconnect();
  }
}
