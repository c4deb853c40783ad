import nunjucks from 'nunjucks';
import { join, resolve } from 'node:path';
import type { AssetManifest } from '../assets/asset-manifest.js';
import type { Site } from '../sites/site.js';
import { themeStylesheet, themeTokens } from '../sites/site-theme.js';
import { emailLogoOf, pageLogoOf } from './email-logo.js';
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

interface SiteEnvironment {
  /** The site object it was built for: a changed site is a new object, so this is its version. */
  site: Site;
  env: nunjucks.Environment;
  /**
   * Compiled page templates by name, so a render starts from the template object rather than
   * asking the environment to find it again through its loaders. Empty while watching.
   */
  templates: Map<string, nunjucks.Template>;
}

/**
 * One nunjucks environment per site. The loader looks in the site's own `views/` first and
 * then the shared `views/`, so a partner overrides a single partial without copying the rest.
 * A site added or changed at runtime gets a fresh environment at its next render (the check is
 * one comparison). Compiled templates are cached unless `watch` is set (development).
 *
 * A site object that is not the live one (a partner's draft, rendered for its preview) gets an
 * environment of its own, kept only as long as that object lives: a preview must not replace
 * the live site's compiled templates, which every page of that site would then compile again,
 * nor its theme stylesheet's address.
 */
export class SiteViews {
  private readonly environments = new Map<string, SiteEnvironment>();
  private readonly drafts = new WeakMap<Site, SiteEnvironment>();
  private readonly neutral: nunjucks.Environment;
  private readonly base: string;

  constructor(
    sites: readonly Site[],
    private readonly assets: AssetManifest,
    viewsDir: string,
    private readonly watch: boolean,
    /** Whether a site object is the live one (the registry's); every object is, by default. */
    private readonly isLiveSite: (site: Site) => boolean = () => true,
  ) {
    this.base = resolve(viewsDir);
    for (const site of sites) this.environmentOf(site);
    this.neutral = new nunjucks.Environment(new nunjucks.FileSystemLoader([this.base]), {
      autoescape: true,
    });
  }

  render(site: Site, template: string, model: ViewModel): string {
    const held = this.environmentOf(site);
    // Watched templates are looked up on every render, so an edit shows at the next one.
    if (this.watch) return held.env.render(template, model);
    let compiled = held.templates.get(template);
    if (compiled === undefined) {
      compiled = held.env.getTemplate(template, true);
      held.templates.set(template, compiled);
    }
    return compiled.render(model);
  }

  /** Whether `site` is the live object, rather than a draft or a version since replaced. */
  isLive(site: Site): boolean {
    return this.environments.get(site.id)?.site === site || this.isLiveSite(site);
  }

  private environmentOf(site: Site): SiteEnvironment {
    const held = this.environments.get(site.id);
    if (held?.site === site) return held;
    if (!this.isLiveSite(site)) {
      let draft = this.drafts.get(site);
      if (draft === undefined) {
        draft = this.environmentFor(site, 'draft-theme.css');
        this.drafts.set(site, draft);
      }
      return draft;
    }
    const fresh = this.environmentFor(site, 'chosen-theme.css');
    this.environments.set(site.id, fresh);
    return fresh;
  }

  /** `themeName`: a draft's chosen theme is served under a name of its own (see above). */
  private environmentFor(site: Site, themeName: string): SiteEnvironment {
    // A site first seen at runtime brings the files of its folder, when the deploy has one.
    if (!this.assets.hasScope(site.id)) this.assets.addFolder(site.id, join(site.dir, 'public'));
    const loader = new nunjucks.FileSystemLoader([join(site.dir, 'views'), this.base], {
      noCache: this.watch,
    });
    const env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false });
    this.addGlobals(env, site, themeName);
    return { site, env, templates: new Map<string, nunjucks.Template>() };
  }

  /** Pages shown when no site could be resolved: they must carry no tenant's content. */
  renderNeutral(template: string, model: ViewModel = {}): string {
    return this.neutral.render(template, model);
  }

  private addGlobals(env: nunjucks.Environment, site: Site, themeName: string): void {
    env.addGlobal('site', siteGlobals(site));
    // Templates name their assets with literals, so the URLs a site's pages ask for are few:
    // each is resolved once, not rebuilt as a lookup key on every render.
    const assetUrls = new Map<string, string>();
    env.addGlobal('assetUrl', (path: string) => {
      let url = assetUrls.get(path);
      if (url === undefined) {
        url = this.assetUrl(site, path);
        assetUrls.set(path, url);
      }
      return url;
    });
    env.addGlobal('emailLogo', emailLogoOf(site, this.assets));
    env.addGlobal('pageLogo', pageLogoOf(site, this.assets));
    env.addGlobal('faviconUrl', this.assets.siteUrl(site.id, 'favicon.svg') ?? '');
    env.addGlobal('chosenThemeUrl', this.chosenThemeUrl(site, themeName));
    env.addGlobal('formatDate', (value: string | Date) => formatSiteDate(site, new Date(value)));
  }

  /**
   * The stylesheet of what the partner chose in the console (theme colour for a site without a
   * stylesheet of its own, accent, fonts), laid over the site's; '' when it would be empty.
   */
  private chosenThemeUrl(site: Site, name: string): string {
    const own = this.assets.url(site.id, 'theme.css') !== undefined;
    const css = themeStylesheet(themeTokens(site.vars.themeColor, site.theme, own));
    return css === '' ? '' : this.assets.addStylesheet(site.id, name, css);
  }

  private assetUrl(site: Site, path: string): string {
    const [scope, name] = path.startsWith('site:')
      ? [site.id, path.slice('site:'.length)]
      : ['base', path];
    // A site without a file of its own (one made at runtime) uses the platform's.
    const url = scope === 'base' ? this.assets.url(scope, name) : this.assets.siteUrl(scope, name);
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
