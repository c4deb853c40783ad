import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AppConfig } from '../config/app-config.js';
import { normaliseHost } from './host.js';
import { siteSchema, themeSchema } from './site.schema.js';
import { rootTokensOf } from './theme-contrast.js';
import type { Site } from './site.js';

/** Browsers resolve every name under `localhost` to the machine they run on (RFC 6761). */
const LOCAL_SUFFIX = '.localhost';

/** Bound on remembered raw Host values: each maps to a real site, so this is generous. */
const MAX_RAW_HOSTS = 1000;

export class SiteConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SiteConfigError';
  }
}

/**
 * Every site defined under `sites/<id>/site.json`, loaded and validated once at boot. Host
 * lookup is a plain map read, the cheapest thing a request can do.
 */
export class SiteRegistry {
  private readonly byHost = new Map<string, Site>();
  private readonly byId = new Map<string, Site>();
  private readonly byRawHost = new Map<string, Site>();

  constructor(readonly sites: readonly Site[]) {
    for (const site of sites) {
      if (this.byId.has(site.id))
        throw new SiteConfigError(`site id "${site.id}" is defined twice`);
      this.byId.set(site.id, site);
      for (const host of site.hostnames) {
        const other = this.byHost.get(host);
        if (other) {
          throw new SiteConfigError(
            `hostname "${host}" is claimed by both "${other.id}" and "${site.id}"`,
          );
        }
        this.byHost.set(host, site);
      }
    }
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

  static load(config: AppConfig): SiteRegistry {
    const root = resolve(config.paths.sites);
    if (!existsSync(root)) throw new SiteConfigError(`sites folder ${root} does not exist`);
    const baseTokens = rootTokensOf(
      readFileSync(join(config.paths.public, 'css', 'app.css'), 'utf8'),
    );
    const sites: Site[] = [];
    for (const entry of readdirSync(root).sort()) {
      const dir = join(root, entry);
      const file = join(dir, 'site.json');
      if (!statSync(dir).isDirectory() || !existsSync(file)) continue;
      sites.push(parseSiteFile(file, dir, entry, config));
      checkTheme(dir, baseTokens);
    }
    if (sites.length === 0) throw new SiteConfigError(`no sites found under ${root}`);
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

function parseSiteFile(file: string, dir: string, folder: string, config: AppConfig): Site {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SiteConfigError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = siteSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${i.path.join('.') || '(root)'}: ${i.message}`,
    );
    throw new SiteConfigError(`${file}: invalid site definition\n  - ${problems.join('\n  - ')}`);
  }
  const definition = parsed.data;
  if (definition.id !== folder) {
    throw new SiteConfigError(`${file}: id: "${definition.id}" must match its folder "${folder}"`);
  }
  const { scheme, port, hostStyle } = config.publicUrl;
  const listedLocal = definition.hostnames.find((h) => h.endsWith(LOCAL_SUFFIX));
  const localHost = listedLocal ?? `${definition.id}${LOCAL_SUFFIX}`;
  // A derived local name answers only where links use it, so a deployed site answers to
  // exactly the names its file lists; a clash with another site's name stops boot.
  const hostnames =
    listedLocal === undefined && hostStyle === 'local'
      ? [...definition.hostnames, localHost]
      : definition.hostnames;
  const linkHost = hostStyle === 'local' ? localHost : (definition.hostnames[0] as string);
  const defaultPort = scheme === 'https' ? 443 : 80;
  const portPart = port === null || port === defaultPort ? '' : `:${port}`;
  return {
    ...definition,
    hostnames,
    baseUrl: `${scheme}://${linkHost}${portPart}`,
    localHost,
    dir,
  };
}
