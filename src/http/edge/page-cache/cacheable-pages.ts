import type { CachedPageName } from '../route-policy.js';
import { pageNumberOf } from '../../../common/page-number.js';
import {
  canonicalOccasionFilter,
  canonicalRecentFilter,
  canonicalSearchText,
  canonicalStyleFilter,
} from '../../../common/search-query.js';

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
  name: CachedPageName;
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

/** A page's rules, and the syntax of each route parameter it reads. */
interface PageRules {
  policy: PagePolicy;
  params: Readonly<Record<string, RegExp>>;
}

/** Each page the cache keeps; a route serving one names it in its `RoutePolicy`. */
const PAGES: Readonly<Record<CachedPageName, PageRules>> = {
  home: { policy: { name: 'home', ttlSeconds: 60, graceSeconds: 3600, query: [] }, params: {} },
  occasions: {
    policy: { name: 'occasions', ttlSeconds: 300, graceSeconds: 3600, query: [] },
    params: {},
  },
  occasion: {
    policy: { name: 'occasion', ttlSeconds: 300, graceSeconds: 3600, query: [PAGE_NUMBER] },
    params: { slug: /^[a-z0-9-]{1,64}$/ },
  },
  card: {
    policy: { name: 'card', ttlSeconds: 600, graceSeconds: 86400, query: [] },
    params: { slug: /^[a-z0-9-]{1,120}$/ },
  },
  search: {
    policy: {
      name: 'search',
      ttlSeconds: 60,
      graceSeconds: 60,
      query: SEARCH_QUERY,
      popularOnly: true,
    },
    params: {},
  },
};

export interface CacheablePage {
  policy: PagePolicy;
  /** The route's path, split at `/`: a string, or the syntax a parameter's value must have. */
  segments: readonly (string | { name: string; syntax: RegExp })[];
}

/**
 * The cacheable page a route serves, worked out once when the route is registered. A route
 * parameter the page gives no syntax for would let any value into the cache: refused at boot.
 */
export function cacheablePageOf(name: CachedPageName, routeUrl: string): CacheablePage {
  const rules = PAGES[name];
  const segments = routeUrl.split('/').map((segment) => {
    if (!segment.startsWith(':')) return segment;
    const param = segment.slice(1);
    const syntax = rules.params[param];
    if (syntax === undefined) {
      throw new Error(`${routeUrl}: the cached page '${name}' knows no parameter '${param}'`);
    }
    return { name: param, syntax };
  });
  return { policy: rules.policy, segments };
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
    if (typeof segment === 'string') {
      parts.push(segment);
      continue;
    }
    const value = params[segment.name];
    if (typeof value !== 'string' || !segment.syntax.test(value)) return null;
    parts.push(value);
  }
  const path = parts.join('/');
  let search = '';
  for (const param of page.policy.query) {
    const value = param.canonical(query[param.name]);
    if (value === null) return null;
    if (value !== '') search += `${search === '' ? '?' : '&'}${param.name}=${value}`;
  }
  return path + search;
}
