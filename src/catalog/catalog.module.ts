import { Module } from '@nestjs/common';
import { CardEmailImage } from './card-email-image.js';
import { DatabaseModule } from '../platform/database/database.module.js';
import { CardMediaController } from './card-media.controller.js';
import { CardViews } from './card-views.js';
import { Card } from './card.entity.js';
import { CardsApiController } from './cards-api.controller.js';
import { CatalogPages } from './catalog-pages.js';
import { CatalogRepository } from './catalog.repository.js';
import { CatalogService } from './catalog.service.js';
import { Occasion } from './occasion.entity.js';
import { RenderingModule } from '../rendering/rendering.module.js';
import { FlagsModule } from '../flags/flags.module.js';
import { CacheModule } from '../platform/cache/cache.module.js';

/** The catalog's tables. */
export const CATALOG_ENTITIES = [Occasion, Card];
import { CardSearchService } from './card-search.service.js';
import { SearchPage } from './search-page.js';

@Module({
  imports: [RenderingModule, FlagsModule, CacheModule, DatabaseModule.forFeature(CATALOG_ENTITIES)],
  controllers: [CardsApiController, CardMediaController],
  providers: [
    CatalogRepository,
    CatalogService,
    CardViews,
    CatalogPages,
    CardEmailImage,
    CardSearchService,
    SearchPage,
  ],
  exports: [CatalogService, CardViews, CatalogPages],
})
export class CatalogModule {}
