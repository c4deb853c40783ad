import { Module } from '@nestjs/common';
import { CardMediaController } from './card-media.controller.js';
import { CardViews } from './card-views.js';
import { CardsApiController } from './cards-api.controller.js';
import { CatalogPagesController } from './catalog-pages.controller.js';
import { CatalogRepository } from './catalog.repository.js';
import { CatalogService } from './catalog.service.js';

@Module({
  controllers: [CatalogPagesController, CardsApiController, CardMediaController],
  providers: [CatalogRepository, CatalogService, CardViews],
  exports: [CatalogService, CardViews],
})
export class CatalogModule {}
