import type { SiteDefinition } from './site.schema.js';

/** A co-branded site as the rest of the code sees it: its definition plus derived values. */
export interface Site extends SiteDefinition {
  /**
   * Origin every absolute link is built from (emails, pickup and manage URLs, canonical tags),
   * from configuration, never from a request: the canonical host (the first hostname), or the
   * local host when PUBLIC_HOST_STYLE is `local` (development).
   */
  baseUrl: string;
  /** The name a developer's browser reaches this site by: its first `*.localhost` hostname, or `<id>.localhost`. */
  localHost: string;
  /** Absolute folder of this site's files (views/, public/); it may not exist. */
  dir: string;
  /** The stored version this is (0 for a site read from its folder rather than the database). */
  revision: number;
}

/** The catalog a site carries, in the terms repositories filter by. */
export interface CatalogScope {
  /** null means every occasion. */
  occasionSlugs: readonly string[] | null;
  excludeOccasions: readonly string[];
  excludeCards: readonly string[];
}

export function catalogScopeOf(site: Site): CatalogScope {
  const include = site.catalog.includeOccasions;
  return {
    occasionSlugs: include.length === 1 && include[0] === '*' ? null : include,
    excludeOccasions: site.catalog.excludeOccasions,
    excludeCards: site.catalog.excludeCards,
  };
}
