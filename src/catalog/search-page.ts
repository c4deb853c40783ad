import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../common/domain-errors.js';
import { CacheTags, SURROGATE_KEY } from '../platform/cache/cache-keys.js';
import { PageRenderer } from '../rendering/page-renderer.js';
import { siteOf } from '../sites/site-request.js';
import { CARD_STYLE_NAMES, CARD_STYLES } from '../common/card-styles.js';
import { CardSearchService, type SearchResults } from './card-search.service.js';
import { CatalogService } from './catalog.service.js';
import {
  asksForCards,
  RECENT_DAYS,
  readSearchRequest,
  SEARCH_MAX_LENGTH,
  SEARCH_MAX_PAGES,
  type SearchQuery,
  searchUrlOf,
} from '../common/search-query.js';

/** The search page's URL parameters, as Fastify's query parser hands them over. */
export type SearchPageRequest = FastifyRequest<{
  Querystring: Record<string, string | string[] | undefined>;
}>;

const STYLE_OPTIONS = CARD_STYLES.map((value) => ({ value, name: CARD_STYLE_NAMES[value] }));

/**
 * `/search`: the words and filters a person asked for, and a page of the site's cards that
 * match. A blank search shows the form; a search too long or unreadable says so (400) and
 * looks nothing up; a filter for an occasion the site does not carry, or a page past the
 * last, is a 404 like any listing's.
 */
@Injectable()
export class SearchPage {
  constructor(
    private readonly catalog: CatalogService,
    private readonly searching: CardSearchService,
  ) {}

  async render(
    pages: PageRenderer,
    request: SearchPageRequest,
    reply: FastifyReply,
  ): Promise<string> {
    const site = siteOf(request);
    reply.header(SURROGATE_KEY, CacheTags.listings);
    const asked = readSearchRequest(request.query);
    const occasions = await this.catalog.listOccasions(site);
    const form = {
      occasions,
      styles: STYLE_OPTIONS,
      recentDays: RECENT_DAYS,
      maxLength: SEARCH_MAX_LENGTH,
    };
    if (asked.kind !== 'search') {
      reply.code(400);
      return pages.render(site, request, 'search', {
        ...form,
        query: asked.kind === 'too-long' ? asked.query : null,
        problem: asked.kind,
      });
    }
    const { query } = asked;
    if (query.occasion !== null && !occasions.some((o) => o.slug === query.occasion)) {
      throw new NotFoundError('occasion');
    }
    if (query.page > SEARCH_MAX_PAGES) throw new NotFoundError('page');
    if (!asksForCards(query)) {
      if (query.page > 1) throw new NotFoundError('page');
      return pages.render(site, request, 'search', { ...form, query, results: null });
    }
    const results = await this.searching.search(site, query);
    if (query.page > 1 && query.page > results.totalPages) throw new NotFoundError('page');
    return pages.render(site, request, 'search', {
      ...form,
      query,
      results,
      page: pagingOf(query, results),
    });
  }
}

function pagingOf(query: SearchQuery, results: SearchResults) {
  return {
    number: results.pageNumber,
    totalPages: results.totalPages,
    prevUrl: results.pageNumber > 1 ? searchUrlOf(query, results.pageNumber - 1) : null,
    nextUrl:
      results.pageNumber < results.totalPages ? searchUrlOf(query, results.pageNumber + 1) : null,
  };
}
