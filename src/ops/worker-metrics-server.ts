import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ProcessMetricsServer } from '../platform/observability/metrics-server.js';

/**
 * The worker process has no web server; this small one answers `GET /metrics` on
 * WORKER_METRICS_PORT, bound to METRICS_HOST like the web process's.
 */
@Injectable()
export class WorkerMetricsServer extends ProcessMetricsServer {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super(config.ops.metricsHost, config.ops.workerMetricsPort);
  }
}
