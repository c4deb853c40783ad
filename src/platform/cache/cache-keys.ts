/**
 * Every cache key and tag of the platform is built here, so a key can never be spelled two
 * ways and every key that holds site data starts with the site id.
 */
export const CacheTags = {
  all: 'all',
  site: (siteId: string) => `site:${siteId}`,
  card: (slug: string) => `card:${slug}`,
  occasion: (slug: string) => `occasion:${slug}`,
  home: 'home',
  listings: 'listings',
} as const;

const TAG = /^(all|home|listings|(site|card|occasion):[a-z0-9-]{1,120})$/;

export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

export const DataKeys = {
  occasions: (siteId: string) => `${siteId}:occasions`,
  featured: (siteId: string, limit: number) => `${siteId}:featured:${limit}`,
  cardList: (siteId: string, occasion: string | undefined, limit: number, offset: number) =>
    `${siteId}:cards:${occasion ?? '*'}:${limit}:${offset}`,
  // "v2": a card view gained its artwork hash; views cached before it must not be read.
  card: (siteId: string, slug: string) => `${siteId}:v2:card:${slug}`,
  cardById: (siteId: string, id: number) => `${siteId}:v2:card-id:${id}`,
  cardPage: (siteId: string, slug: string, related: number) =>
    `${siteId}:v2:card-page:${slug}:${related}`,
  artwork: (slug: string, hash: string, variant: string) => `artwork:${slug}:${hash}:${variant}`,
} as const;

export const PageKeys = {
  /** Site first, then the variant, then the canonical path and the route's own parameters. */
  page: (siteId: string, variant: string, pathAndQuery: string) =>
    `${siteId}|${variant}|${pathAndQuery}`,
  redisEntry: (key: string) => `pc:e:${key}`,
  redisTag: (tag: string) => `pc:t:${tag}`,
  redisRefreshLock: (key: string) => `pc:l:${key}`,
} as const;

/** Counters kept in Redis (not cache entries: never purged by tag). */
export const CounterKeys = {
  cardViews: (siteId: string, slug: string) => `${siteId}:views:${slug}`,
} as const;

/**
 * Pub/sub ignores Redis database numbers: deployments sharing a Redis server (a staging beside
 * production, two test runs) would otherwise purge each other's pages. Named by the key
 * prefix, as the outbox nudge is; the default prefix keeps the channel `ecard:cache:purge`.
 */
export function purgeChannel(keyPrefix: string): string {
  return `${keyPrefix}:cache:purge`;
}

/** Response header carrying a page's tags: read by the page cache, passed on to a CDN. */
export const SURROGATE_KEY = 'surrogate-key';
