import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { metricsRegistry } from '../platform/observability/metrics.js';

/**
 * The worker process has no web server; this small one answers `GET /metrics` (and nothing
 * else) on WORKER_METRICS_PORT. A port already taken is logged, not fatal: delivering cards
 * matters more than being scraped.
 */
@Injectable()
export class WorkerMetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server: Server | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.ops.workerMetricsPort;
    if (port === null) return;
    const server = createServer((request, response) => {
      const path = (request.url ?? '').split('?')[0];
      if (request.method !== 'GET' || path !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        return;
      }
      metricsRegistry.metrics().then(
        (text) =>
          response
            .writeHead(200, {
              'content-type': metricsRegistry.contentType,
              'cache-control': 'no-store',
            })
            .end(text),
        () => response.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        this.logger.warn(`metrics not served on port ${port}: ${error.code ?? error.message}`);
        resolve();
      });
      server.listen(port, this.config.http.host, () => {
        this.server = server;
        this.logger.log(`metrics on http://${this.config.http.host}:${port}/metrics`);
        resolve();
      });
    });
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }
}
