import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { AdminPageGuard } from './admin-page.guard.js';
import { AdminSessionController } from './admin-session.controller.js';
import { AdminTokenGuard } from './admin-token.guard.js';
import { CacheAdminController } from './cache-admin.controller.js';
import { CardsAdminController } from './cards-admin.controller.js';

@Module({
  imports: [CatalogModule],
  controllers: [CacheAdminController, CardsAdminController, AdminSessionController],
  providers: [AdminTokenGuard, AdminPageGuard],
  exports: [AdminTokenGuard, AdminPageGuard],
})
export class AdminModule {}
