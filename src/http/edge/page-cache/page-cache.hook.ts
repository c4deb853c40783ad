import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { EdgeChain } from '../edge-chain.js';
import { CacheTags, PageKeys, SURROGATE_KEY } from '../../../platform/cache/cache-keys.js';
import { cacheEvents } from '../../../platform/observability/metrics.js';
import { addRouteHook } from '../route-hooks.js';
import { storedBodyOf, storedHeadersOf, writeStoredPage } from './stored-response.js';
import { preferredEncoding } from '../../../common/content-encoding.js';
import { POPULAR_SEARCHES, PopularPages } from './popular-pages.js';
import {
  type CacheablePage,
  cacheablePageOf,
  canonicalUrlOf,
  type Parsed,
} from './cacheable-pages.js';
import { policyOf } from '../route-policy.js';
import type { PageCacheStore, PageEntry } from '../../../platform/cache/page-cache-store.js';

/** Label children made once: resolving labels from an object on every hit shows in profiles. */
const pageEvents = {
  l1: eventsOf('l1'),
  l2: eventsOf('l2'),
};

function eventsOf(tier: 'l1' | 'l2') {
  return {
    hit: cacheEvents.tally({ cache: 'page', tier, outcome: 'hit' }),
    miss: cacheEvents.tally({ cache: 'page', tier, outcome: 'miss' }),
    stale: cacheEvents.tally({ cache: 'page', tier, outcome: 'stale' }),
  };
}

interface PageCacheState {
  key: string;
  page: CacheablePage;
  /** Set when the response came from the cache, so onSend leaves it alone. */
  served: boolean;
  refreshing: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    pageCache: PageCacheState | null;
  }
}

export interface PageCacheOptions {
  store: PageCacheStore;
  /** Everything besides site and path that changes a site's pages: app version, flag values. */
  variant: (siteId: string) => string;
  enabled: boolean;
  /** Overrides every page's own freshness when set. */
  ttlSeconds: number | null;
}

/**
 * The page cache is a step of the edge's onRequest hook, after site resolution and before
 * Nest's router: a hit is a map read and a write. A miss continues to the controller and
 * onSend stores the rendered page if it is a 200 without Set-Cookie.
 */
export function installPageCache(
  fastify: FastifyInstance,
  edge: EdgeChain,
  options: PageCacheOptions,
): void {
  const { store } = options;
  const refreshing = new Set<string>();
  const popular = new PopularPages(POPULAR_SEARCHES);
  fastify.decorateRequest('pageCache', null);
  /** The routes whose policy names a cached page, by route: one map read on a hit. */
  const pages = new Map<string | null, CacheablePage>();
  fastify.addHook('onRoute', (route) => {
    const name = policyOf(route).cache;
    if (name !== undefined) pages.set(route.url, cacheablePageOf(name, route.url));
  });

  /** Serves the entry and answers true, or answers false when the request must render. */
  const answer = (
    request: FastifyRequest,
    reply: FastifyReply,
    state: PageCacheState,
    entry: PageEntry | undefined,
    tier: 'l1' | 'l2',
  ): boolean => {
    const now = Date.now();
    if (!entry || entry.staleUntil <= now) {
      pageEvents[tier].miss.inc();
      return false;
    }
    if (entry.freshUntil > now) {
      pageEvents[tier].hit.inc();
      serve(request, reply, state, entry, 'HIT');
      return true;
    }
    // Stale: the first request renders a fresh copy, the others get this one meanwhile.
    if (!refreshing.has(state.key)) {
      refreshing.add(state.key);
      state.refreshing = true;
      pageEvents[tier].miss.inc();
      return false;
    }
    pageEvents[tier].stale.inc();
    serve(request, reply, state, entry, 'STALE');
    return true;
  };

  edge.onRequest((request, reply) => {
    const site = request.site;
    if (!options.enabled || request.method !== 'GET' || !site) return false;
    const page = pages.get(request.routeUrl);
    if (page === undefined) return false;
    // Only canonical URLs are ever stored (see below), so the URL as sent is the key and a hit
    // parses nothing: a URL spelled any other way is simply not found.
    const key = PageKeys.page(site.id, options.variant(site.id), request.url);
    const local = store.getLocal(key);
    if (local !== undefined) {
      return answer(request, reply, track(request, key, page), local, 'l1');
    }
    // The canonical URL of what the handler will render, from the same parsed request it reads.
    const canonical = canonicalUrlOf(page, request.params as Parsed, request.query as Parsed);
    // The handler refuses these parameters (a 404): rendered, never stored.
    if (canonical === null) return false;
    if (canonical !== request.url) return redirect(reply, canonical);
    pageEvents.l1.miss.inc();
    // Rendered, not stored, until asked for often enough: see popular-pages.ts.
    if (page.policy.popularOnly === true && !popular.admit(key)) return false;
    const state = track(request, key, page);
    // A failed shared read is a miss: the page is rendered.
    return store.getShared(key).then(
      (entry) => answer(request, reply, state, entry, 'l2'),
      () => false,
    );
  });

  const storable = (route: RouteOptions) => policyOf(route).cache !== undefined;
  addRouteHook(fastify, 'onSend', storable, (request, reply, payload, done) => {
    const state = request.pageCache;
    if (!state || state.served) return done(null, payload);
    if (state.refreshing) refreshing.delete(state.key);
    const cacheable =
      reply.statusCode === 200 &&
      typeof payload === 'string' &&
      !reply.hasHeader('set-cookie') &&
      String(reply.getHeader('content-type') ?? '').startsWith('text/html');
    if (!cacheable) return done(null, payload);
    const now = Date.now();
    const { policy } = state.page;
    const ttlSeconds = options.ttlSeconds ?? policy.ttlSeconds;
    const tags = tagsOf(reply, request.site?.id ?? '');
    const entry: PageEntry = {
      body: payload,
      etag: `"${createHash('sha1').update(payload).digest('base64url').slice(0, 22)}"`,
      headers: [],
      tags,
      freshUntil: now + ttlSeconds * 1000,
      staleUntil: now + (ttlSeconds + policy.graceSeconds) * 1000,
    };
    setCacheHeaders(reply, state, entry);
    entry.headers = storedHeadersOf(reply);
    reply.header('x-cache', 'MISS');
    store.set(state.key, entry);
    // The stored page's bodies serve this response too: compressed here, once, for its hits.
    const body = storedBodyOf(entry, preferredEncoding(request.headers['accept-encoding']));
    if (body.encoding === null) return done(null, payload);
    reply.header('content-encoding', body.encoding).header('etag', body.etag);
    done(null, body.bytes);
  });
}

/** Marks the request as a cacheable page's, so onSend stores what it renders under the key. */
function track(request: FastifyRequest, key: string, page: CacheablePage): PageCacheState {
  const state: PageCacheState = { key, page, served: false, refreshing: false };
  request.pageCache = state;
  return state;
}

/**
 * Another spelling of a page's canonical URL: sent there, so every spelling shares one stored
 * page and none can be stored under a key that renders something else.
 */
function redirect(reply: FastifyReply, location: string): true {
  void reply
    .code(301)
    .header('location', location)
    .header('cache-control', 'public, max-age=3600')
    .send();
  return true;
}

function tagsOf(reply: FastifyReply, siteId: string): string[] {
  const declared = String(reply.getHeader(SURROGATE_KEY) ?? '')
    .split(' ')
    .filter((t) => t.length > 0);
  return [...new Set([CacheTags.all, CacheTags.site(siteId), ...declared])];
}

/** The page's cache headers on the response that renders it; a hit sends the stored copies. */
function setCacheHeaders(reply: FastifyReply, state: PageCacheState, entry: PageEntry): void {
  const { policy } = state.page;
  reply.header(
    'cache-control',
    `public, max-age=30, s-maxage=${policy.ttlSeconds}, stale-while-revalidate=${policy.graceSeconds}`,
  );
  reply.header('etag', entry.etag);
  reply.header('vary', 'Accept-Encoding');
  reply.header(SURROGATE_KEY, entry.tags.join(' '));
}

function serve(
  request: FastifyRequest,
  reply: FastifyReply,
  state: PageCacheState,
  entry: PageEntry,
  outcome: 'HIT' | 'STALE',
): void {
  state.served = true;
  writeStoredPage(request, reply, entry, outcome);
}
