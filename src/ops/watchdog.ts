import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Logger as PinoLogger } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { RedisService } from '../platform/redis/redis.service.js';
import { FORGET_AFTER_MS, type Heartbeat, heartbeatKeys } from './heartbeats.js';
import { OPS_LOGGER, OpsAlerts } from './ops-alerts.js';
import { lateGreetingConditions, type OverdueRecipients } from './late-greetings.js';
import { OverdueRecipientsRepository } from './overdue-recipients.repository.js';
import { QueueDepthSampler } from './queue-depth-sampler.js';
import { type Condition, currentConditions } from './watchdog-conditions.js';
import { WatchdogIdentity } from './watchdog-identity.js';

/** Renews the lock only if this process still holds it. */
const RENEW_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Runs in every worker (and on standby in web processes), active in one at a time: the holder
 * of a Redis lock (renewed each round, expiring after three rounds, so a dead watchdog is
 * replaced by another process's).
 * Each round it reads the heartbeats and the queue counts, works out what is wrong, and fires
 * or resolves alerts against the set of raised alerts kept in Redis: one alert per condition
 * until it clears, whichever worker's watchdog happens to be active.
 */
@Injectable()
export class Watchdog implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Watchdog');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private active = false;
  private failing = false;
  private readonly backlogSince: Record<string, number> = {};
  private overdue: OverdueRecipients[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(OPS_LOGGER) private readonly log: PinoLogger,
    private readonly redis: RedisService,
    private readonly identity: WatchdogIdentity,
    private readonly sampler: QueueDepthSampler,
    private readonly alerts: OpsAlerts,
    private readonly overdueRecipients: OverdueRecipientsRepository,
  ) {}

  private get keys(): { lock: string; alerts: string } {
    const prefix = this.config.delivery.queuePrefix;
    return { lock: `${prefix}:ops:watchdog`, alerts: `${prefix}:ops:alerts` };
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.round().finally(() => (this.running = null));
    }, this.config.ops.watchdog.intervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    if (this.active) {
      await this.redis.client
        .eval(RELEASE_LOCK, 1, this.keys.lock, this.identity.id)
        .catch(() => undefined);
    }
  }

  /** One round: keep or take the lock, and if held, check. Errors wait for the next round. */
  async round(now = Date.now()): Promise<void> {
    try {
      const held = await this.holdLock();
      if (held !== this.active) {
        this.active = held;
        if (held) {
          this.log.info(
            { holder: this.identity.id, processType: this.identity.processType },
            `watchdog active in this ${this.identity.processType}`,
          );
        }
      }
      if (held) await this.check(now);
      if (this.failing) this.logger.log('watchdog rounds run again');
      this.failing = false;
    } catch (error) {
      // Once per outage (Redis away, typically), not every round.
      if (!this.failing) this.logger.warn(`watchdog round skipped: ${(error as Error).message}`);
      this.failing = true;
    }
  }

  private async holdLock(): Promise<boolean> {
    const ttl = this.config.ops.watchdog.intervalMs * 3;
    const client = this.redis.client;
    const taken = await client.set(this.keys.lock, this.identity.id, 'PX', ttl, 'NX');
    if (taken === 'OK') return true;
    return (await client.eval(RENEW_LOCK, 1, this.keys.lock, this.identity.id, String(ttl))) === 1;
  }

  private async check(now: number): Promise<void> {
    const client = this.redis.client;
    const hb = heartbeatKeys(this.config.delivery.queuePrefix);
    const forgotten = await client.zrangebyscore(hb.set, '-inf', now - FORGET_AFTER_MS);
    if (forgotten.length > 0) await client.zrem(hb.set, ...forgotten);
    const scored = await client.zrange(hb.set, '0', '-1', 'WITHSCORES');
    const ids = scored.filter((_, i) => i % 2 === 0);
    const details = ids.length > 0 ? await client.mget(...ids.map((id) => hb.detail(id))) : [];
    const workers = ids.map((id, i) => ({
      id,
      beatAt: Number(scored[i * 2 + 1]),
      detail: parseHeartbeat(details[i] ?? null),
    }));
    const queues = await this.sampler.sample();
    for (const [queue, depth] of Object.entries(queues)) {
      if (depth.waiting + depth.active === 0) delete this.backlogSince[queue];
      else this.backlogSince[queue] ??= now;
    }
    const conditions = currentConditions(
      { now, workers, queues, backlogSince: this.backlogSince },
      this.config.ops.watchdog,
    );
    for (const [key, late] of await this.lateness(now)) conditions.set(key, late);
    await this.reconcile(conditions);
  }

  private async lateness(now: number): Promise<Map<string, Condition>> {
    const t = this.config.ops.watchdog;
    try {
      this.overdue = await this.overdueRecipients.overdue(
        new Date(now - t.lateAfterMs),
        new Date(now),
      );
    } catch {
      // The last answer stands: an unreachable primary must not resolve a late alert.
    }
    return lateGreetingConditions(this.overdue, t, now);
  }

  /** Fires conditions not raised yet and resolves raised ones that cleared. */
  private async reconcile(conditions: Map<string, Condition>): Promise<void> {
    const client = this.redis.client;
    const raised = await client.hgetall(this.keys.alerts);
    for (const [key, condition] of conditions) {
      if (key in raised) continue;
      const record = { summary: condition.summary, since: new Date().toISOString() };
      // Recorded before sending: a watchdog that dies mid-send must not make the next one repeat it.
      await client.hset(this.keys.alerts, key, JSON.stringify(record));
      await this.alerts.raise({ key, state: 'firing', ...condition });
    }
    for (const [key, value] of Object.entries(raised)) {
      if (conditions.has(key)) continue;
      await client.hdel(this.keys.alerts, key);
      const previous = parseRecord(value);
      await this.alerts.raise({
        key,
        state: 'resolved',
        summary: previous.summary,
        details: { firingSince: previous.since },
      });
    }
  }
}

function parseHeartbeat(text: string | null): Heartbeat | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as Heartbeat;
  } catch {
    return null;
  }
}

function parseRecord(text: string): { summary: string; since: string | null } {
  try {
    const parsed = JSON.parse(text) as { summary?: string; since?: string };
    return { summary: parsed.summary ?? text, since: parsed.since ?? null };
  } catch {
    return { summary: text, since: null };
  }
}
