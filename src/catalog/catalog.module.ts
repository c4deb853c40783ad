import { Module } from '@nestjs/common';
import { CardMediaController } from './card-media.controller.js';
import { CardViews } from './card-views.js';
import { CardsApiController } from './cards-api.controller.js';
import { CatalogPages } from './catalog-pages.js';
import { CatalogRepository } from './catalog.repository.js';
import { CatalogService } from './catalog.service.js';
import { CardSearchService } from './card-search.service.js';
import { SearchPage } from './search-page.js';

@Module({
  controllers: [CardsApiController, CardMediaController],
  providers: [
    CatalogRepository,
    CatalogService,
    CardViews,
    CatalogPages,
    CardSearchService,
    SearchPage,
  ],
  exports: [CatalogService, CardViews, CatalogPages],
})
export class CatalogModule {}
