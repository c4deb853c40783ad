import { Module } from '@nestjs/common';
import { CardMediaController } from './card-media.controller.js';
import { CardsApiController } from './cards-api.controller.js';
import { CatalogPagesController } from './catalog-pages.controller.js';
import { CatalogRepository } from './catalog.repository.js';
import { CatalogService } from './catalog.service.js';

@Module({
  controllers: [CatalogPagesController, CardsApiController, CardMediaController],
  providers: [CatalogRepository, CatalogService],
  exports: [CatalogService],
})
export class CatalogModule {}
