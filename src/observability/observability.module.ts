import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller.js';
import { PoolMetrics } from './pool-metrics.js';
import { VersionController } from './version.controller.js';

@Module({ controllers: [MetricsController, VersionController], providers: [PoolMetrics] })
export class ObservabilityModule {}
