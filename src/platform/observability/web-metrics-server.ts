import { Inject, Injectable } from '@nestjs/common';
import cluster from 'node:cluster';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { ProcessMetricsServer } from './metrics-server.js';
import { answerPrimaryMetricsRequests } from './cluster-metrics.js';

/**
 * The web process's metrics, on METRICS_PORT (never on the sites' port). A single web process
 * serves its own; in cluster mode each worker hands its registry to the primary, which serves
 * the group's (see cluster-metrics.ts).
 */
@Injectable()
export class WebMetricsServer extends ProcessMetricsServer {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super(config.ops.metricsHost, cluster.isWorker ? null : config.ops.webMetricsPort);
    answerPrimaryMetricsRequests();
  }
}
