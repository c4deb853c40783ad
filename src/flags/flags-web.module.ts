import { Module } from '@nestjs/common';
import { AdminPageGuard } from '../admin/admin-page.guard.js';
import { AdminTokenGuard } from '../admin/admin-token.guard.js';
import { Autopilot } from './autopilot/autopilot.service.js';
import { FlagAdmin } from './flag-admin.service.js';
import { FlagsAdminPageController } from './flags-admin-page.controller.js';
import { FlagsAdminController } from './flags-admin.controller.js';
import { FlagsModule } from './flags.module.js';

/** What only the web process has: the admin API and page, and the autopilot. */
@Module({
  imports: [FlagsModule],
  controllers: [FlagsAdminController, FlagsAdminPageController],
  providers: [FlagAdmin, AdminTokenGuard, AdminPageGuard, Autopilot],
  exports: [Autopilot],
})
export class FlagsWebModule {}
