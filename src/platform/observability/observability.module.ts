import { Module } from '@nestjs/common';
import { PoolMetrics } from './pool-metrics.js';
import { VersionController } from './version.controller.js';
import { WebMetricsServer } from './web-metrics-server.js';

@Module({ controllers: [VersionController], providers: [PoolMetrics, WebMetricsServer] })
export class ObservabilityModule {}
