import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../common/domain-errors.js';
import { CacheTags, SURROGATE_KEY } from '../platform/cache/cache-keys.js';
import { PageRenderer } from '../rendering/page-renderer.js';
import { siteOf } from '../sites/site-request.js';
import { FeatureFlags, type PageFeatures } from '../flags/feature-flags.service.js';
import { CardViews } from './card-views.js';
import { pageNumberOf } from '../common/page-number.js';
import { type CardPage, CatalogService } from './catalog.service.js';
import { SearchPage, type SearchPageRequest } from './search-page.js';

const SLUG = /^[a-z0-9-]{1,120}$/;

/** A catalog page's URL parameters, as Fastify parsed them. */
export type CatalogPageRequest = FastifyRequest<{
  Params: { slug?: string };
  Querystring: { page?: string | string[] };
}>;

/**
 * Browsing pages: the same for every visitor, so cached whole. Handlers of the Fastify routes
 * in `catalog-page-routes.ts`, not a Nest controller: see there why.
 */
@Injectable()
export class CatalogPages {
  constructor(
    private readonly catalog: CatalogService,
    private readonly pages: PageRenderer,
    private readonly flags: FeatureFlags,
    private readonly views: CardViews,
    private readonly searchPage: SearchPage,
  ) {}

  /** `/search`: see search-page.ts. */
  search(request: SearchPageRequest, reply: FastifyReply): Promise<string> {
    return this.searchPage.render(this.pages, request, reply);
  }

  async home(request: CatalogPageRequest, reply: FastifyReply): Promise<string> {
    const site = siteOf(request);
    reply.header(SURROGATE_KEY, `${CacheTags.home} ${CacheTags.listings}`);
    const features = await this.flags.pageFeatures(site);
    const [occasions, featured] = await Promise.all([
      this.catalog.listOccasions(site),
      features.featuredCards ? this.catalog.featured(site) : [],
    ]);
    return this.pages.render(site, request, 'home', { occasions, featured, features });
  }

  /** Every occasion of the site, with its card count: the index the home page's tiles start. */
  async occasions(request: CatalogPageRequest, reply: FastifyReply): Promise<string> {
    const site = siteOf(request);
    reply.header(SURROGATE_KEY, CacheTags.listings);
    const occasions = await this.catalog.listOccasions(site);
    return this.pages.render(site, request, 'occasions', { occasions });
  }

  async occasion(request: CatalogPageRequest, reply: FastifyReply): Promise<string> {
    const site = siteOf(request);
    const slug = request.params.slug ?? '';
    const pageParam = request.query.page;
    if (!SLUG.test(slug)) throw new NotFoundError('occasion');
    reply.header(SURROGATE_KEY, `${CacheTags.occasion(slug)} ${CacheTags.listings}`);
    const pageNumber = pageNumberOf(pageParam);
    if (pageNumber === null) throw new NotFoundError('page');
    const page = await this.catalog.occasionPage(site, slug, pageNumber);
    const base = `/occasions/${slug}`;
    return this.pages.render(site, request, 'occasion', {
      occasion: page.occasion,
      cards: page.cards,
      page: {
        number: page.pageNumber,
        totalPages: page.totalPages,
        prevUrl:
          page.pageNumber > 1
            ? page.pageNumber === 2
              ? base
              : `${base}?page=${page.pageNumber - 1}`
            : null,
        nextUrl: page.pageNumber < page.totalPages ? `${base}?page=${page.pageNumber + 1}` : null,
      },
    });
  }

  /**
   * Answered without a promise when the card, the page's flags and the view count are all at
   * hand, as they are for any card viewed in the last second: a promise, two awaits and the
   * hops between them were a measurable share of rendering a card page.
   */
  card(request: CatalogPageRequest, reply: FastifyReply): string | Promise<string> {
    const site = siteOf(request);
    const slug = request.params.slug ?? '';
    if (!SLUG.test(slug)) throw new NotFoundError('card');
    const page = this.catalog.recentCardPage(site, slug);
    if (page === null) throw new NotFoundError('card');
    const features = this.flags.settledPageFeatures(site);
    if (page === undefined || features === undefined) return this.cardLater(request, reply, slug);
    const views = features.viewCounters ? this.views.recentCount(site.id, slug) : null;
    if (views === undefined) {
      return this.views
        .count(site.id, slug)
        .then((count) => this.renderCard(request, reply, page, features, count));
    }
    return this.renderCard(request, reply, page, features, views);
  }

  private async cardLater(
    request: CatalogPageRequest,
    reply: FastifyReply,
    slug: string,
  ): Promise<string> {
    const site = siteOf(request);
    const [page, features] = await Promise.all([
      this.catalog.cardPage(site, slug),
      this.flags.pageFeatures(site),
    ]);
    const views = features.viewCounters ? await this.views.count(site.id, slug) : null;
    return this.renderCard(request, reply, page, features, views);
  }

  private renderCard(
    request: CatalogPageRequest,
    reply: FastifyReply,
    { card, related }: CardPage,
    features: Readonly<PageFeatures>,
    views: number | null,
  ): string {
    reply.header(
      SURROGATE_KEY,
      `${CacheTags.card(card.slug)} ${CacheTags.occasion(card.occasion.slug)}`,
    );
    return this.pages.render(siteOf(request), request, 'card', {
      card,
      related: features.relatedCards ? related : [],
      views,
      features,
    });
  }
}
