import { Module } from '@nestjs/common';
import { PoolMetrics } from './pool-metrics.js';
import { WebMetricsServer } from './web-metrics-server.js';

@Module({ providers: [PoolMetrics, WebMetricsServer] })
export class ObservabilityModule {}
