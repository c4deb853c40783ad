import { Module } from '@nestjs/common';
import { FlagsModule } from '../flags.module.js';
import { Autopilot } from './autopilot.service.js';
import { ResilienceModule } from '../../platform/resilience/resilience.module.js';
import { QueueModule } from '../../platform/queue/queue.module.js';

/** The web process's autopilot: sheds optional features under load. The worker has none. */
@Module({
  imports: [ResilienceModule, QueueModule, FlagsModule],
  providers: [Autopilot],
  exports: [Autopilot],
})
export class AutopilotModule {}
