import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { AutopilotModule } from '../flags/autopilot/autopilot.module.js';
import { FlagsModule } from '../flags/flags.module.js';
import { AdminPageGuard } from './admin-page.guard.js';
import { AdminSessionController } from './admin-session.controller.js';
import { AdminTokenGuard } from './admin-token.guard.js';
import { CacheAdminController } from './cache-admin.controller.js';
import { CardsAdminController } from './cards-admin.controller.js';
import { FlagAdmin } from '../flags/flag-admin.service.js';
import { FlagsAdminPageController } from './flags-admin-page.controller.js';
import { FlagsAdminController } from './flags-admin.controller.js';
import { SitesModule } from '../sites/sites.module.js';
import { RenderingModule } from '../rendering/rendering.module.js';
import { SecurityModule } from '../security/security.module.js';
import { CacheModule } from '../platform/cache/cache.module.js';

/** Every admin surface: cards, caches, sign-in, and the flags API and page. */
@Module({
  imports: [
    SitesModule,
    RenderingModule,
    SecurityModule,
    CacheModule,
    CatalogModule,
    FlagsModule,
    AutopilotModule,
  ],
  controllers: [
    CacheAdminController,
    CardsAdminController,
    AdminSessionController,
    FlagsAdminController,
    FlagsAdminPageController,
  ],
  providers: [AdminTokenGuard, AdminPageGuard, FlagAdmin],
  exports: [AdminTokenGuard, AdminPageGuard],
})
export class AdminModule {}
