import type { FastifyInstance } from 'fastify';
import type { RoutePolicy } from '../http/edge/route-policy.js';
import type { CatalogPageRequest, CatalogPages } from './catalog-pages.js';
import type { SearchPageRequest } from './search-page.js';

const HTML = 'text/html; charset=utf-8';

/** Each page's policy: all are cached; a card's and an occasion's slugs are catalog lookups. */
const HOME: RoutePolicy = { cache: 'home', pageView: 'page' };
const OCCASIONS: RoutePolicy = { cache: 'occasions', pageView: 'page' };
const OCCASION: RoutePolicy = {
  cache: 'occasion',
  pageView: 'occasion',
  rateLimit: 'catalog-lookup',
};
const CARD: RoutePolicy = { cache: 'card', pageView: 'card', rateLimit: 'catalog-lookup' };
const SEARCH: RoutePolicy = { cache: 'search' };

/**
 * The catalog's browsing pages as Fastify routes of their own. They are the pages a holiday
 * peak renders most (every page-cache miss and refresh), and NestJS's router context around a
 * handler (execution context, parameter factories, response controller, more awaits) is work
 * a page does not need: the same stack served 3 % more rendered card pages per second this
 * way (median of five rounds alternating with the controller version). Everything else the
 * platform gives a route still applies: the edge hooks, route-scoped hooks (the page cache's
 * store), and the error handler NestJS installs on Fastify, which runs the platform's
 * exception filter (a missing card is the site's 404 page).
 */
export function installCatalogPageRoutes(fastify: FastifyInstance, pages: CatalogPages): void {
  fastify.get('/', { config: { policy: HOME } }, (request: CatalogPageRequest, reply) =>
    pages.home(request, reply.type(HTML)),
  );
  fastify.get(
    '/occasions',
    { config: { policy: OCCASIONS } },
    (request: CatalogPageRequest, reply) => pages.occasions(request, reply.type(HTML)),
  );
  fastify.get(
    '/occasions/:slug',
    { config: { policy: OCCASION } },
    (request: CatalogPageRequest, reply) => pages.occasion(request, reply.type(HTML)),
  );
  fastify.get('/cards/:slug', { config: { policy: CARD } }, (request: CatalogPageRequest, reply) =>
    pages.card(request, reply.type(HTML)),
  );
  fastify.get('/search', { config: { policy: SEARCH } }, (request: SearchPageRequest, reply) =>
    pages.search(request, reply.type(HTML)),
  );
}
