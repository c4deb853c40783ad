import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller.js';
import { VersionController } from './version.controller.js';

@Module({ controllers: [MetricsController, VersionController] })
export class ObservabilityModule {}
