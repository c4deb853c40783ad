import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { themeSchema } from './site.schema.js';
import { rootTokensOf } from './theme-contrast.js';
import type { AppConfig } from '../config/app-config.js';
import { normaliseHost } from './host.js';
import { SiteConfigError, siteFromDefinition } from './site-definition.js';
import { readSitesRoot } from './site-folder.js';
import type { Site } from './site.js';

export { SiteConfigError } from './site-definition.js';

/** Bound on remembered raw Host values: each maps to a real site, so this is generous. */
const MAX_RAW_HOSTS = 1000;

export type SiteListener = (changed: readonly Site[]) => void;

/**
 * Every site this process serves, by id and by hostname. Host lookup is a plain map read, the
 * cheapest thing a request can do, whatever the number of sites. The maps are patched in
 * place when a site is added or changed (see SiteSync), never rebuilt per request.
 */
export class SiteRegistry {
  private readonly byHost = new Map<string, Site>();
  private readonly byId = new Map<string, Site>();
  private readonly byRawHost = new Map<string, Site>();
  private readonly listeners: SiteListener[] = [];
  private list: readonly Site[] = [];

  constructor(sites: readonly Site[]) {
    for (const site of sites) {
      if (this.byId.has(site.id))
        throw new SiteConfigError(`site id "${site.id}" is defined twice`);
      this.put(site);
    }
  }

  /** Every site, in id order. */
  get sites(): readonly Site[] {
    return this.list;
  }

  /**
   * Site for a raw Host header value, or null when no site answers to it. Raw values that
   * resolved are remembered (a few per site: case, ports), so the usual request skips parsing;
   * values that did not resolve are not, so junk hosts cannot grow the map.
   */
  resolve(hostHeader: string | string[] | undefined): Site | null {
    if (typeof hostHeader === 'string') {
      const known = this.byRawHost.get(hostHeader);
      if (known) return known;
    }
    const host = normaliseHost(hostHeader);
    const site = host === null ? null : (this.byHost.get(host) ?? null);
    if (site && typeof hostHeader === 'string' && this.byRawHost.size < MAX_RAW_HOSTS) {
      this.byRawHost.set(hostHeader, site);
    }
    return site;
  }

  get(id: string): Site | undefined {
    return this.byId.get(id);
  }

  /** Throws when the site would take a hostname another site answers to. */
  check(site: Site): void {
    for (const host of site.hostnames) {
      const other = this.byHost.get(host);
      if (other && other.id !== site.id) {
        throw new SiteConfigError(
          `hostname "${host}" is claimed by both "${other.id}" and "${site.id}"`,
        );
      }
    }
  }

  /** Adds a site or replaces the one with its id, then tells the listeners. */
  put(site: Site): void {
    this.putMany([site]);
  }

  /**
   * Adds or replaces sites, then tells the listeners once: a boot loading hundreds of sites
   * rebuilds what depends on them once, not once per site. A site whose hostname another site
   * holds is refused before anything changes.
   */
  putMany(sites: readonly Site[]): void {
    if (sites.length === 0) return;
    for (const site of sites) this.check(site);
    for (const site of sites) {
      const previous = this.byId.get(site.id);
      if (previous) {
        for (const host of previous.hostnames) this.byHost.delete(host);
      }
      this.byId.set(site.id, site);
      for (const host of site.hostnames) this.byHost.set(host, site);
    }
    // Remembered raw values may point at an old object or a hostname it gave up.
    this.byRawHost.clear();
    this.list = [...this.byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const listener of this.listeners) listener(sites);
  }

  /** Called after sites were added or changed, in the process that applied them. */
  onChange(listener: SiteListener): void {
    this.listeners.push(listener);
  }

  /** The sites of the folders under SITES_DIR, as they are on disk (tests, and a boot fallback). */
  static load(config: AppConfig): SiteRegistry {
    const baseTokens = rootTokensOf(
      readFileSync(join(config.paths.public, 'css', 'app.css'), 'utf8'),
    );
    const sites = readSitesRoot(config.paths.sites).map((d) => siteFromDefinition(d, config));
    for (const site of sites) checkTheme(site.dir, baseTokens);
    return new SiteRegistry(sites);
  }
}

/** A site's theme over the base stylesheet's tokens must keep every pairing readable. */
function checkTheme(dir: string, baseTokens: Readonly<Record<string, string>>): void {
  const file = join(dir, 'public', 'theme.css');
  const own = existsSync(file) ? rootTokensOf(readFileSync(file, 'utf8')) : {};
  const checked = themeSchema.safeParse({ ...baseTokens, ...own });
  if (!checked.success) {
    const problems = checked.error.issues.map((i) => i.message);
    throw new SiteConfigError(
      `${file}: theme below WCAG AA contrast\n  - ${problems.join('\n  - ')}`,
    );
  }
}
