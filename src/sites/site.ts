import type { SiteDefinition } from './site.schema.js';

/** A co-branded site as the rest of the code sees it: its definition plus derived values. */
export interface Site extends SiteDefinition {
  /** Canonical origin built from the first hostname and configuration, never from a request. */
  baseUrl: string;
  /** Absolute folder of this site's files (views/, public/). */
  dir: string;
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
