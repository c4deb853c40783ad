import { Module } from '@nestjs/common';
import { FlagsModule } from '../flags.module.js';
import { Autopilot } from './autopilot.service.js';

/** The web process's autopilot: sheds optional features under load. The worker has none. */
@Module({
  imports: [FlagsModule],
  providers: [Autopilot],
  exports: [Autopilot],
})
export class AutopilotModule {}
