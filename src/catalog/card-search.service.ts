import { Injectable } from '@nestjs/common';
import { catalogScopeOf, type Site } from '../sites/site.js';
import { CatalogRepository } from './catalog.repository.js';
import { type CardTile, OCCASION_PAGE_SIZE, toTile } from './catalog.service.js';
import { RECENT_DAYS, SEARCH_MAX_PAGES, type SearchQuery } from '../common/search-query.js';

export interface SearchResults {
  cards: CardTile[];
  total: number;
  pageNumber: number;
  totalPages: number;
}

/**
 * Search over the site's catalog. Not kept in the data cache: the page cache keeps the pages
 * of popular searches, and a cache entry per search anyone types would be the key explosion
 * that page cache refuses.
 */
@Injectable()
export class CardSearchService {
  constructor(private readonly cards: CatalogRepository) {}

  async search(site: Site, query: SearchQuery): Promise<SearchResults> {
    const page = await this.cards.searchCards(catalogScopeOf(site), {
      terms: query.terms,
      occasionSlug: query.occasion,
      style: query.style,
      addedWithinDays: query.recent ? RECENT_DAYS : null,
      limit: OCCASION_PAGE_SIZE,
      offset: (query.page - 1) * OCCASION_PAGE_SIZE,
    });
    const totalPages = Math.min(
      SEARCH_MAX_PAGES,
      Math.max(1, Math.ceil(page.total / OCCASION_PAGE_SIZE)),
    );
    return { cards: page.items.map(toTile), total: page.total, pageNumber: query.page, totalPages };
  }
}
