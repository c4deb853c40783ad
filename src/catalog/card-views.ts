import { Injectable } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { withTimeout } from '../common/with-timeout.js';
import type { FeatureFlags } from '../flags/feature-flags.service.js';
import { CounterKeys } from '../platform/cache/cache-keys.js';
import { RedisService } from '../platform/redis/redis.service.js';

const READ_TIMEOUT_MS = 50;

/**
 * How often each card page was viewed, per site, counted in Redis. A nice-to-have: it costs a
 * Redis write per view, so it sits behind the `viewCounters` flag the autopilot sheds first.
 */
@Injectable()
export class CardViews {
  constructor(private readonly redis: RedisService) {}

  /** Fire and forget: a lost count is better than a slower page. */
  record(siteId: string, slug: string): void {
    this.redis.client.incr(CounterKeys.cardViews(siteId, slug)).catch(() => undefined);
  }

  /** The count, or null when Redis does not answer quickly. */
  async count(siteId: string, slug: string): Promise<number | null> {
    try {
      const value = await withTimeout(
        this.redis.client.get(CounterKeys.cardViews(siteId, slug)),
        READ_TIMEOUT_MS,
      );
      return Number(value ?? 0);
    } catch {
      return null;
    }
  }
}

/** Counts every card page served, page-cache hits included (they never reach the controller). */
export function installCardViewCounting(
  fastify: FastifyInstance,
  views: CardViews,
  flags: FeatureFlags,
): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const site = request.site;
    if (
      site &&
      reply.statusCode === 200 &&
      request.method === 'GET' &&
      request.routeOptions.url === '/cards/:slug'
    ) {
      const slug = (request.params as { slug?: string }).slug ?? '';
      void flags.isEnabled(site, 'viewCounters').then((on) => {
        if (on) views.record(site.id, slug);
      });
    }
    done();
  });
}
