import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { lastJobTimes } from '../platform/observability/job-metrics.js';
import { QUEUES } from '../platform/queue/jobs.js';
import { RedisService } from '../platform/redis/redis.service.js';

/** What a worker says about itself every WORKER_HEARTBEAT_MS. */
export interface Heartbeat {
  id: string;
  pid: number;
  host: string;
  version: string;
  queues: string[];
  startedAt: number;
  beatAt: number;
  /** Epoch ms this worker last finished a job, by queue. */
  lastJobAt: Record<string, number>;
}

/** A dead worker is remembered (and alerted on) this long, then dropped from the set. */
export const FORGET_AFTER_MS = 3_600_000;

export function heartbeatKeys(prefix: string): { set: string; detail(id: string): string } {
  return {
    set: `${prefix}:ops:heartbeats`,
    detail: (id) => `${prefix}:ops:heartbeat:${id}`,
  };
}

/**
 * Publishes this worker's heartbeat: its score in a sorted set (last beat, read by the
 * watchdog) and its details in a key that expires after the forget window. A worker that stops
 * cleanly removes both, so only a worker that died stays behind to be noticed.
 */
@Injectable()
export class WorkerHeartbeat implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Heartbeat');
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly startedAt = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private failing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisService,
  ) {}

  onApplicationBootstrap(): void {
    void this.beat();
    this.timer = setInterval(() => void this.beat(), this.config.ops.heartbeatMs);
    this.timer.unref();
  }

  async beat(now = Date.now()): Promise<void> {
    const keys = heartbeatKeys(this.config.delivery.queuePrefix);
    const heartbeat: Heartbeat = {
      id: this.id,
      pid: process.pid,
      host: hostname(),
      version: this.config.version,
      queues: Object.values(QUEUES),
      startedAt: this.startedAt,
      beatAt: now,
      lastJobAt: lastJobTimes(),
    };
    try {
      await this.redis.client
        .multi()
        .zadd(keys.set, now, this.id)
        .set(keys.detail(this.id), JSON.stringify(heartbeat), 'PX', FORGET_AFTER_MS)
        .exec();
      if (this.failing) this.logger.log('heartbeats published again');
      this.failing = false;
    } catch (error) {
      // Once per outage: a worker without Redis has nothing to work on either.
      if (!this.failing) this.logger.warn(`heartbeat not published: ${(error as Error).message}`);
      this.failing = true;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    const keys = heartbeatKeys(this.config.delivery.queuePrefix);
    await this.redis.client
      .multi()
      .zrem(keys.set, this.id)
      .del(keys.detail(this.id))
      .exec()
      .catch(() => undefined);
  }
}
