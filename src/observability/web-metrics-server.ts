import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import cluster from 'node:cluster';
import type { Server } from 'node:http';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { metricsRegistry } from '../platform/observability/metrics.js';
import { closeMetricsServer, serveMetrics } from '../platform/observability/metrics-server.js';
import { answerPrimaryMetricsRequests } from './cluster-metrics.js';

/**
 * The web process's metrics, on METRICS_PORT (never on the sites' port). A single web process
 * serves its own; in cluster mode each worker hands its registry to the primary, which serves
 * the group's (see cluster-metrics.ts).
 */
@Injectable()
export class WebMetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server: Server | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    if (cluster.isWorker) {
      answerPrimaryMetricsRequests();
      return;
    }
    const port = this.config.ops.webMetricsPort;
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
