import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../../config/app-config.js';
import type { Autopilot } from '../../flags/autopilot/autopilot.service.js';
import type { FeatureFlags } from '../../flags/feature-flags.service.js';
import type { PageCacheStore } from '../../platform/cache/page-cache-store.js';
import type { AppLogger } from '../../platform/observability/logger.js';
import type { SiteViews } from '../../rendering/site-views.js';
import type { AbuseLimiter } from '../../security/abuse-limiter.js';
import type { AdminSessions } from '../../security/admin-sessions.js';
import type { CatalogMissBudget } from '../../security/catalog-miss-budget.js';
import type { SiteApiKeys } from '../../security/site-api-keys.js';
import type { SiteRegistry } from '../../sites/site-registry.js';
import { SecurityHeaders } from '../security-headers.js';
import { installAdminGate } from './admin-gate.hook.js';
import { installBodyChecks } from './body-checks.hook.js';
import { installCatalogMissBudget } from './catalog-miss-budget.hook.js';
import { installClientIdentity } from './client-identity.hook.js';
import type { EdgeChain } from './edge-chain.js';
import { installLinkGuessingLimit } from './link-guessing.hook.js';
import { installPageCache } from './page-cache/page-cache.hook.js';
import { installPageCompression } from './page-compression.hook.js';
import { installRequestContext } from './request-context.hook.js';
import { installRequestObservability } from './request-observability.hook.js';
import { installResponseHeaders } from './response-headers.hook.js';
import { installRoutePolicies } from './route-policies.hook.js';
import { installSendGuard } from './send-guard.hook.js';
import { installSiteResolution } from './site-resolution.hook.js';

/** The services the edge's steps use, taken from the application once it is built. */
export interface EdgeServices {
  registry: SiteRegistry;
  views: SiteViews;
  pageCache: PageCacheStore;
  flags: FeatureFlags;
  autopilot: Autopilot;
  limiter: AbuseLimiter;
  adminSessions: AdminSessions;
  missBudget: CatalogMissBudget;
  siteKeys: SiteApiKeys;
}

/**
 * The page-view path, in the order a request meets it. Installed before Nest registers its
 * routes, so the route-level steps see every route as it is added.
 *
 * Before routing reaches Nest (the edge chain's onRequest hook, see edge-chain.ts):
 *   1. site resolution: the Host names a site, or the request is refused;
 *   2. client identity: a presented API key is valid (a site's key: on its site, in its
 *      scopes), or the request is refused;
 *   3. the page cache: a stored page is served here, and nothing after it runs;
 *   4. the admin gate: admin routes (by their policy) need a credential;
 *   5. link guessing: a client that guessed too many private links waits.
 * On the routes whose policy asks for them (route-level hooks, see route-hooks.ts):
 *   6. the request context (every route): its log lines carry the request id and site;
 *   7. body checks (routes that take a body): JSON APIs take JSON, of a bounded shape;
 *   8. the catalog miss budget (`rateLimit: 'catalog-lookup'`);
 *   9. the send guard (`sendGuard`): the `sending` and `scheduledSending` flags;
 *  10. the page cache's store (`cache`): a rendered page is kept, and compressed once;
 *  11. compression (every other route): rendered HTML to a browser that takes brotli or gzip.
 * As the response goes out: the platform's headers (every route's onSend), then the edge's
 * response steps: request log line and metrics, admin audit, link misses, autopilot latency.
 */
export function installEdge(
  fastify: FastifyInstance,
  edge: EdgeChain,
  config: AppConfig,
  logger: AppLogger,
  services: EdgeServices,
): void {
  const securityLog = logger.child({ component: 'security' });
  installRoutePolicies(fastify);
  // First among the route-level hooks, so that the others' log lines carry the request id.
  installRequestContext(fastify);
  installRequestObservability(edge, { logger, logPageCacheHits: config.logPageCacheHits });
  installResponseHeaders(fastify, {
    security: new SecurityHeaders({
      hsts: config.security.hsts,
      openerIsolation:
        config.publicUrl.scheme === 'https' || config.publicUrl.hostStyle === 'local',
    }),
    version: config.version,
  });
  // Order matters: site and caller first, then the page cache's hit path, then the gates. A hit
  // is only ever a public page (admin and private-link routes are never stored), so the gates
  // have nothing to say about it and it should not pay for them.
  installSiteResolution(fastify, edge, services.registry, services.views);
  installClientIdentity(fastify, edge, config.security.apiKeys, securityLog, services.siteKeys);
  installPageCache(fastify, edge, {
    store: services.pageCache,
    enabled: config.cache.pageEnabled,
    ttlSeconds: config.cache.pageTtlSeconds,
    variant: (siteId) => services.flags.pageVariant(siteId),
  });
  installAdminGate(fastify, edge, {
    adminToken: config.adminToken,
    limiter: services.limiter,
    sessions: services.adminSessions,
    logger: securityLog,
    registry: services.registry,
  });
  installLinkGuessingLimit(edge, services.limiter);
  installCatalogMissBudget(fastify, services.missBudget);
  installBodyChecks(fastify);
  installPageCompression(fastify);
  installSendGuard(fastify, edge, {
    flags: services.flags,
    views: services.views,
    autopilot: services.autopilot,
  });
}
