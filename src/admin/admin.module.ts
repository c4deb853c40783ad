import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { AdminTokenGuard } from './admin-token.guard.js';
import { CacheAdminController } from './cache-admin.controller.js';
import { CardsAdminController } from './cards-admin.controller.js';

@Module({
  imports: [CatalogModule],
  controllers: [CacheAdminController, CardsAdminController],
  providers: [AdminTokenGuard],
  exports: [AdminTokenGuard],
})
export class AdminModule {}
