import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { EdgeChain } from '../http/edge-chain.js';
import { withTimeout } from '../common/with-timeout.js';
import type { FeatureFlags } from '../flags/feature-flags.service.js';
import { CounterKeys } from '../platform/cache/cache-keys.js';
import { RedisService } from '../platform/redis/redis.service.js';

const READ_TIMEOUT_MS = 50;
const FLUSH_MS = 1000;
const COUNT_FRESH_MS = 1000;
/** Bounds the reuse map; cleared whole when reached (a cheap reset, counts are re-read). */
const MAX_RECENT_COUNTS = 10_000;

/**
 * How often each card page was viewed, per site, counted in Redis. Views are added up in memory
 * and written once a second in one pipeline, so a page-cache hit pays a map update, not a Redis
 * round trip. Behind the `viewCounters` flag, which the autopilot sheds early.
 */
@Injectable()
export class CardViews implements OnModuleInit, OnApplicationShutdown {
  private pending = new Map<string, number>();
  private readonly recent = new Map<string, { at: number; value: Promise<number | null> }>();
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
    const key = CounterKeys.cardViews(siteId, slug);
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
  }

  /**
   * The count, or null when Redis does not answer quickly. A count read in the last second is
   * reused (with this process's unflushed views added), so rendering a popular card does not
   * cost a Redis round trip per page; concurrent renders share one read.
   */
  count(siteId: string, slug: string): Promise<number | null> {
    const key = CounterKeys.cardViews(siteId, slug);
    const now = Date.now();
    let read = this.recent.get(key);
    if (!read || read.at + COUNT_FRESH_MS <= now) {
      read = { at: now, value: this.readCount(key) };
      this.recent.set(key, read);
      if (this.recent.size > MAX_RECENT_COUNTS) this.recent.clear();
    }
    return read.value.then((stored) =>
      stored === null ? null : stored + (this.pending.get(key) ?? 0),
    );
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
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const pipeline = this.redis.client.pipeline();
    for (const [key, n] of batch) pipeline.incrby(key, n);
    pipeline.exec().catch(() => undefined);
  }
}

/** Counts every card page served, page-cache hits included (they never reach the controller). */
export function installCardViewCounting(
  edge: EdgeChain,
  views: CardViews,
  flags: FeatureFlags,
): void {
  edge.onResponse((request, reply) => {
    const site = request.site;
    if (
      site &&
      reply.statusCode === 200 &&
      request.method === 'GET' &&
      request.routeUrl === '/cards/:slug' &&
      flags.peek(site.id, 'viewCounters')
    ) {
      views.record(site.id, (request.params as { slug?: string }).slug ?? '');
    }
  });
}
