import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { VersionController } from './version.controller.js';
import { ResilienceModule } from '../platform/resilience/resilience.module.js';

@Module({
  imports: [ResilienceModule, TerminusModule.forRoot({ errorLogStyle: 'json' })],
  controllers: [HealthController, VersionController],
})
export class HealthModule {}
