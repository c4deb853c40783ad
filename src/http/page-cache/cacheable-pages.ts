import { pageNumberOf } from '../../common/page-number.js';
import {
  canonicalOccasionFilter,
  canonicalRecentFilter,
  canonicalSearchText,
  canonicalStyleFilter,
} from '../../common/search-query.js';

/**
 * The pages that are the same for every visitor, with how long they stay fresh and how long a
 * stale copy may stand in while one request renders a new one.
 *
 * A page is stored and served under one URL only: its canonical URL, spelled from the route's
 * parameters and the declared query parameters exactly as the handler reads them (decoded by
 * the router and the query parser). Any other spelling of the same page (`?page=1`, `%62irthday`,
 * `pa%67e=2`, parameters no page reads) is redirected to that URL; a request the handler would
 * refuse (`/cards/UPPER`, `?page=02`, `?page=2&page=3`) is rendered without touching the cache.
 */
export interface PagePolicy {
  name: 'home' | 'occasions' | 'occasion' | 'card' | 'search';
  ttlSeconds: number;
  graceSeconds: number;
  /** Query parameters the page reads; all others are dropped from its canonical URL. */
  query: readonly PageQueryParam[];
  /**
   * Stored only once asked for often (see popular-pages.ts): for pages whose URLs anyone can
   * make up without end, like searches, so made-up ones never fill the cache.
   */
  popularOnly?: boolean;
}

/** A query parameter a page reads, with the one way its canonical URL spells each value. */
export interface PageQueryParam {
  name: string;
  /**
   * The value's canonical spelling ('' for the default, which the URL leaves out), or null when
   * the page refuses it. Spellings need no percent-encoding.
   */
  canonical: (value: string | string[] | undefined) => string | null;
}

const PAGE_NUMBER: PageQueryParam = {
  name: 'page',
  canonical: (value) => {
    const page = pageNumberOf(value);
    return page === null ? null : page === 1 ? '' : String(page);
  },
};

/** A search's words, filters and page, in the order its canonical URL lists them. */
const SEARCH_QUERY: readonly PageQueryParam[] = [
  { name: 'q', canonical: canonicalSearchText },
  { name: 'occasion', canonical: canonicalOccasionFilter },
  { name: 'style', canonical: canonicalStyleFilter },
  { name: 'recent', canonical: canonicalRecentFilter },
  PAGE_NUMBER,
];

/** Each page: the route that serves it, and the paths it accepts (its parameters' syntax). */
const PAGES: readonly { route: string; pattern: RegExp; policy: PagePolicy }[] = [
  {
    route: '/',
    pattern: /^\/$/,
    policy: { name: 'home', ttlSeconds: 60, graceSeconds: 3600, query: [] },
  },
  {
    route: '/occasions',
    pattern: /^\/occasions$/,
    policy: { name: 'occasions', ttlSeconds: 300, graceSeconds: 3600, query: [] },
  },
  {
    route: '/occasions/:slug',
    pattern: /^\/occasions\/[a-z0-9-]{1,64}$/,
    policy: { name: 'occasion', ttlSeconds: 300, graceSeconds: 3600, query: [PAGE_NUMBER] },
  },
  {
    route: '/cards/:slug',
    pattern: /^\/cards\/[a-z0-9-]{1,120}$/,
    policy: { name: 'card', ttlSeconds: 600, graceSeconds: 86400, query: [] },
  },
  {
    route: '/search',
    pattern: /^\/search$/,
    policy: {
      name: 'search',
      ttlSeconds: 60,
      graceSeconds: 60,
      query: SEARCH_QUERY,
      popularOnly: true,
    },
  },
];

/** The routes that serve those pages: only they need the hook that stores a rendered page. */
export const CACHEABLE_ROUTES: ReadonlySet<string> = new Set(PAGES.map((page) => page.route));

export interface CacheablePage {
  policy: PagePolicy;
  /** The route's path, split at `/`, with `:name` where a parameter goes. */
  segments: readonly string[];
  pattern: RegExp;
}

const PAGE_BY_ROUTE: ReadonlyMap<string, CacheablePage> = new Map(
  PAGES.map(({ route, pattern, policy }) => [
    route,
    { policy, pattern, segments: route.split('/') },
  ]),
);

/** The cacheable page a matched route serves: one map read on a page-cache hit. */
export function cacheablePageOf(routeUrl: string | null): CacheablePage | undefined {
  return routeUrl === null ? undefined : PAGE_BY_ROUTE.get(routeUrl);
}

/** What the router and the query parser made of the request, as Fastify hands them over. */
export type Parsed = Readonly<Record<string, string | string[] | undefined>>;

/**
 * The canonical URL of the page the handler will render for these parameters, or null when it
 * will refuse them (a path or value outside the page's syntax), so nothing is stored.
 */
export function canonicalUrlOf(page: CacheablePage, params: Parsed, query: Parsed): string | null {
  const parts: string[] = [];
  for (const segment of page.segments) {
    const value = segment.startsWith(':') ? params[segment.slice(1)] : segment;
    if (typeof value !== 'string') return null;
    parts.push(value);
  }
  const path = parts.join('/');
  if (!page.pattern.test(path)) return null;
  let search = '';
  for (const param of page.policy.query) {
    const value = param.canonical(query[param.name]);
    if (value === null) return null;
    if (value !== '') search += `${search === '' ? '?' : '&'}${param.name}=${value}`;
  }
  return path + search;
}
