import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Server } from 'node:http';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { metricsRegistry } from '../platform/observability/metrics.js';
import { closeMetricsServer, serveMetrics } from '../platform/observability/metrics-server.js';

/**
 * The worker process has no web server; this small one answers `GET /metrics` on
 * WORKER_METRICS_PORT, bound to METRICS_HOST like the web process's.
 */
@Injectable()
export class WorkerMetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server: Server | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.ops.workerMetricsPort;
    if (port === null) return;
    this.server = await serveMetrics({
      host: this.config.ops.metricsHost,
      port,
      render: () => metricsRegistry.metrics(),
      contentType: metricsRegistry.contentType,
      log: { info: (m) => this.logger.log(m), warn: (m) => this.logger.warn(m) },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await closeMetricsServer(this.server);
  }
}
