import type { EdgeChain } from '../http/edge/edge-chain.js';
import type { FeatureFlags } from '../flags/feature-flags.service.js';
import type { CardViews } from './card-views.js';

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
      request.routePolicy.pageView === 'card' &&
      flags.peek(site.id, 'viewCounters')
    ) {
      views.record(site.id, (request.params as { slug?: string }).slug ?? '');
    }
  });
}
