import nunjucks from 'nunjucks';
import { join, resolve } from 'node:path';
import type { AssetManifest } from '../assets/asset-manifest.js';
import type { Site } from '../sites/site.js';
import { emailLogoOf } from './email-logo.js';
import { formatSiteDate } from './format-date.js';

export type ViewModel = Record<string, unknown>;

/** What templates may see of a site: no file paths, nothing that is not meant for pages. */
export interface SiteGlobals {
  id: string;
  name: string;
  locale: string;
  timeZone: string;
  baseUrl: string;
  vars: Readonly<Record<string, string>>;
  limits: Site['limits'];
}

/**
 * One nunjucks environment per site, built at boot. The loader looks in the site's own
 * `views/` first and then the shared `views/`, so a partner overrides a single partial without
 * copying the rest. Compiled templates are cached unless `watch` is set (development).
 */
export class SiteViews {
  private readonly environments = new Map<string, nunjucks.Environment>();
  private readonly neutral: nunjucks.Environment;

  constructor(
    sites: readonly Site[],
    private readonly assets: AssetManifest,
    viewsDir: string,
    watch: boolean,
  ) {
    const base = resolve(viewsDir);
    for (const site of sites) {
      const loader = new nunjucks.FileSystemLoader([join(site.dir, 'views'), base], {
        noCache: watch,
      });
      const env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false });
      this.addGlobals(env, site);
      this.environments.set(site.id, env);
    }
    this.neutral = new nunjucks.Environment(new nunjucks.FileSystemLoader([base]), {
      autoescape: true,
    });
  }

  render(site: Site, template: string, model: ViewModel): string {
    const env = this.environments.get(site.id);
    if (!env) throw new Error(`no views for site ${site.id}`);
    return env.render(template, model);
  }

  /** Pages shown when no site could be resolved: they must carry no tenant's content. */
  renderNeutral(template: string, model: ViewModel = {}): string {
    return this.neutral.render(template, model);
  }

  private addGlobals(env: nunjucks.Environment, site: Site): void {
    env.addGlobal('site', siteGlobals(site));
    env.addGlobal('assetUrl', (path: string) => this.assetUrl(site, path));
    env.addGlobal('emailLogo', emailLogoOf(site, this.assets));
    env.addGlobal('faviconUrl', this.assets.siteUrl(site.id, 'favicon.svg') ?? '');
    env.addGlobal('formatDate', (value: string | Date) => formatSiteDate(site, new Date(value)));
  }

  private assetUrl(site: Site, path: string): string {
    const [scope, name] = path.startsWith('site:')
      ? [site.id, path.slice('site:'.length)]
      : ['base', path];
    const url = this.assets.url(scope, name);
    if (!url) throw new Error(`unknown asset ${path} for site ${site.id}`);
    return url;
  }
}

/** What templates see of a site, pages and emails alike. */
export function siteGlobals(site: Site): SiteGlobals {
  return {
    id: site.id,
    name: site.name,
    locale: site.locale,
    timeZone: site.timeZone,
    baseUrl: site.baseUrl,
    vars: site.vars,
    limits: site.limits,
  };
}
