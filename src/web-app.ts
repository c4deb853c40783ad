import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { AssetManifest } from './assets/asset-manifest.js';
import type { AppConfig } from './config/app-config.js';
import { SiteViews } from './rendering/site-views.js';
import { SiteRegistry } from './sites/site-registry.js';
import { PageCacheStore } from './platform/cache/page-cache-store.js';
import { type AppLogger, createRootLogger } from './platform/observability/logger.js';
import { NestPinoLogger } from './platform/observability/nest-pino-logger.js';
import { requestIdOf } from './platform/observability/request-id.js';
import { CardViews } from './catalog/card-views.js';
import { installCardViewCounting } from './catalog/card-view-counting.hook.js';
import { installCatalogPageRoutes } from './catalog/catalog-page-routes.js';
import { CatalogPages } from './catalog/catalog-pages.js';
import { Autopilot } from './flags/autopilot/autopilot.service.js';
import { FeatureFlags } from './flags/feature-flags.service.js';
import { installAssetRoutes } from './http/asset-routes.js';
import { installCspReports } from './http/csp-reports.js';
import { installEdge } from './http/edge/edge.js';
import { EdgeChain } from './http/edge/edge-chain.js';
import { edgeFirstAdapter } from './http/edge/edge-first-adapter.js';
import { AbuseLimiter } from './security/abuse-limiter.js';
import { AdminSessions } from './security/admin-sessions.js';
import { SiteApiKeys } from './security/site-api-keys.js';
import { CatalogMissBudget } from './security/catalog-miss-budget.js';
import { installMultipartPosts } from './http/multipart-forms.js';
import { installReportTraffic } from './reports/report-traffic.hook.js';
import { ReportTrafficWriter } from './reports/report-traffic-writer.js';

const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Builds the web application: Fastify edge hooks first, then Nest's routes. The logger is
 * passed in by tests that read the log lines; otherwise it writes to stdout.
 */
export async function createWebApp(
  config: AppConfig,
  logger: AppLogger = createRootLogger(config, 'web'),
): Promise<NestFastifyApplication> {
  const edge = new EdgeChain();
  const adapter = edgeFirstAdapter(
    {
      // Off unless configured: with it on, Fastify believes X-Forwarded-* from any client.
      trustProxy: config.http.trustProxy,
      bodyLimit: BODY_LIMIT_BYTES,
      // A stopping worker answers what it already accepted instead of Fastify's default 503:
      // during a rolling restart those requests reached it just before it stopped listening.
      return503OnClosing: false,
      // No Nest middleware anywhere (edge work is Fastify hooks): without middie every request
      // skips a hook step that could only ever call next().
      skipMiddie: true,
      routerOptions: { maxParamLength: 200, ignoreDuplicateSlashes: false },
      // Always through genReqId, which decides whether an incoming X-Request-Id is kept.
      requestIdHeader: false,
      genReqId: requestIdOf,
    },
    edge,
  );
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, logger),
    adapter,
    {
      logger: new NestPinoLogger(logger),
      bufferLogs: false,
      // Throw instead of exiting, so the entry point (or a test) sees the real error.
      abortOnError: false,
    },
  );
  const fastify = app.getHttpAdapter().getInstance();
  // Multipart posts are read only by the forms that take a file, each with its own limits.
  installMultipartPosts(fastify);
  const flags = app.get(FeatureFlags);
  installEdge(fastify, edge, config, logger, {
    registry: app.get(SiteRegistry),
    views: app.get(SiteViews),
    pageCache: app.get(PageCacheStore),
    flags,
    autopilot: app.get(Autopilot),
    limiter: app.get(AbuseLimiter),
    adminSessions: app.get(AdminSessions),
    missBudget: app.get(CatalogMissBudget),
    siteKeys: app.get(SiteApiKeys),
  });
  // Features that count what the edge served, page-cache hits included.
  installCardViewCounting(edge, app.get(CardViews), flags);
  installReportTraffic(edge, app.get(ReportTrafficWriter).traffic);
  installCatalogPageRoutes(fastify, app.get(CatalogPages));
  installAssetRoutes(fastify, app.get(AssetManifest));
  installCspReports(fastify, app.get(SiteRegistry), logger.child({ component: 'security' }));
  if (config.queueDashboard) {
    // Loaded only when wanted: Bull Board's static-file stack is heavy for a web worker.
    const { installQueueDashboard } = await import('./http/queue-dashboard.hook.js');
    const closeDashboard = installQueueDashboard(fastify, config);
    fastify.addHook('onClose', async () => closeDashboard());
  }
  app.enableShutdownHooks();
  await app.init();
  return app;
}
