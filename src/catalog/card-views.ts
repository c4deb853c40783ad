import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { withTimeout } from '../common/with-timeout.js';
import { CounterKeys } from '../platform/cache/cache-keys.js';
import { RedisService } from '../platform/redis/redis.service.js';
import { innerMap } from '../common/inner-map.js';

const READ_TIMEOUT_MS = 50;
const FLUSH_MS = 1000;
const COUNT_FRESH_MS = 1000;
/** Bounds the tallies kept per site; flushed and cleared whole when reached (counts are re-read). */
const MAX_TALLIES_PER_SITE = 10_000;

/** One card's views on one site: those not yet written, and the count last read from Redis. */
interface CardTally {
  key: string;
  pending: number;
  /** The stored count when it was read, null when Redis did not answer. */
  stored: number | null;
  readAt: number;
  reading: Promise<number | null> | null;
}

/**
 * How often each card page was viewed, per site, counted in Redis. Views are added up in memory
 * and written once a second in one pipeline, so a page-cache hit pays a counter increment, not
 * a Redis round trip. Tallies are found through a map per site, so a view builds no key string.
 * Behind the `viewCounters` flag, which the autopilot sheds early.
 */
@Injectable()
export class CardViews implements OnModuleInit, OnApplicationShutdown {
  private readonly tallies = new Map<string, Map<string, CardTally>>();
  private dirty: CardTally[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly redis: RedisService) {}

  onModuleInit(): void {
    this.timer = setInterval(() => this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.flush();
  }

  record(siteId: string, slug: string): void {
    const tally = this.tallyOf(siteId, slug);
    if (tally.pending === 0) this.dirty.push(tally);
    tally.pending++;
  }

  /** The count, or null when Redis does not answer quickly; concurrent reads share one. */
  async count(siteId: string, slug: string): Promise<number | null> {
    const recent = this.recentCount(siteId, slug);
    if (recent !== undefined) return recent;
    const tally = this.tallyOf(siteId, slug);
    const stored = await (tally.reading ?? this.read(tally));
    return stored === null ? null : stored + tally.pending;
  }

  /**
   * The count read in the last second (with this process's unwritten views added), without a
   * promise, so rendering a popular card costs neither a Redis round trip nor a promise;
   * undefined when it must be read (`count`).
   */
  recentCount(siteId: string, slug: string): number | null | undefined {
    const tally = this.tallyOf(siteId, slug);
    if (tally.reading !== null || tally.readAt + COUNT_FRESH_MS <= Date.now()) return undefined;
    return tally.stored === null ? null : tally.stored + tally.pending;
  }

  private tallyOf(siteId: string, slug: string): CardTally {
    const bySlug = innerMap(this.tallies, siteId);
    let tally = bySlug.get(slug);
    if (tally === undefined) {
      if (bySlug.size >= MAX_TALLIES_PER_SITE) {
        this.flush();
        bySlug.clear();
      }
      tally = {
        key: CounterKeys.cardViews(siteId, slug),
        pending: 0,
        stored: null,
        readAt: 0,
        reading: null,
      };
      bySlug.set(slug, tally);
    }
    return tally;
  }

  private read(tally: CardTally): Promise<number | null> {
    const readAt = Date.now();
    const reading = this.readCount(tally.key).then((stored) => {
      tally.stored = stored;
      tally.readAt = readAt;
      tally.reading = null;
      return stored;
    });
    tally.reading = reading;
    return reading;
  }

  private async readCount(key: string): Promise<number | null> {
    try {
      const value = await withTimeout(this.redis.client.get(key), READ_TIMEOUT_MS);
      return Number(value ?? 0);
    } catch {
      return null;
    }
  }

  /** A lost batch (Redis away) is dropped: a view count is not worth a backlog. */
  private flush(): void {
    if (this.dirty.length === 0) return;
    const batch = this.dirty;
    this.dirty = [];
    const pipeline = this.redis.client.pipeline();
    for (const tally of batch) {
      pipeline.incrby(tally.key, tally.pending);
      // Until the next read, the stored count stands for what this batch wrote too.
      if (tally.stored !== null) tally.stored += tally.pending;
      tally.pending = 0;
    }
    pipeline.exec().catch(() => undefined);
  }
}
