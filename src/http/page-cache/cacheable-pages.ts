/**
 * The pages that are the same for every visitor, with how long they stay fresh and how long a
 * stale copy may stand in while one request renders a new one. Only canonical paths match:
 * `//`, `/./`, encoded slashes, trailing slashes or capitals bypass the cache entirely, so a
 * trick path can never be stored under (or served from) a real page's key.
 */
export interface PagePolicy {
  name: 'home' | 'occasions' | 'occasion' | 'card';
  ttlSeconds: number;
  graceSeconds: number;
  /** Query parameters the page reads; all others are ignored and never part of the key. */
  query: readonly string[];
}

/** Each page: the route that serves it, and the canonical paths it answers. */
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
    policy: { name: 'occasion', ttlSeconds: 300, graceSeconds: 3600, query: ['page'] },
  },
  {
    route: '/cards/:slug',
    pattern: /^\/cards\/[a-z0-9-]{1,120}$/,
    policy: { name: 'card', ttlSeconds: 600, graceSeconds: 86400, query: [] },
  },
];

/** The routes that serve those pages: only they need the hook that stores a rendered page. */
export const CACHEABLE_ROUTES: ReadonlySet<string> = new Set(PAGES.map((page) => page.route));

const QUERY_VALUE = /^[A-Za-z0-9-]{1,32}$/;

export interface CacheablePage {
  policy: PagePolicy;
  /** Canonical path plus the declared parameters, sorted: the URL part of the cache key. */
  keyPath: string;
}

/** The page's policy and key path, or null when this request must not touch the cache. */
export function matchCacheablePage(url: string): CacheablePage | null {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const page = pageOf(path);
  if (!page) return null;
  if (q === -1 || page.policy.query.length === 0) return { policy: page.policy, keyPath: path };
  const kept: string[] = [];
  for (const pair of url.slice(q + 1).split('&')) {
    const eq = pair.indexOf('=');
    const name = eq === -1 ? pair : pair.slice(0, eq);
    if (!page.policy.query.includes(name)) continue;
    const value = eq === -1 ? '' : pair.slice(eq + 1);
    // A declared parameter given twice, or in an unusual form, is left to the page itself.
    if (!QUERY_VALUE.test(value) || kept.some((k) => k.startsWith(`${name}=`))) return null;
    kept.push(`${name}=${value}`);
  }
  kept.sort();
  return { policy: page.policy, keyPath: kept.length === 0 ? path : `${path}?${kept.join('&')}` };
}

/** A plain loop: `find` with a closure is a measurable share of a page-cache hit. */
function pageOf(path: string): (typeof PAGES)[number] | undefined {
  for (const page of PAGES) if (page.pattern.test(path)) return page;
  return undefined;
}
