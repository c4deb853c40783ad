import { Module } from '@nestjs/common';
import { CardEmailImage } from './card-email-image.js';
import { CardMediaController } from './card-media.controller.js';
import { CardViews } from './card-views.js';
import { CardsApiController } from './cards-api.controller.js';
import { CatalogPages } from './catalog-pages.js';
import { CatalogRepository } from './catalog.repository.js';
import { CatalogService } from './catalog.service.js';

@Module({
  controllers: [CardsApiController, CardMediaController],
  providers: [CatalogRepository, CatalogService, CardViews, CatalogPages, CardEmailImage],
  exports: [CatalogService, CardViews, CatalogPages],
})
export class CatalogModule {}
