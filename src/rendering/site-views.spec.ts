import { jest } from '@jest/globals';
import nunjucks from 'nunjucks';
import { resolve } from 'node:path';
import { AssetManifest } from '../assets/asset-manifest.js';
import { loadConfig } from '../config/app-config.js';
import type { Site } from '../sites/site.js';
import { SiteRegistry } from '../sites/site-registry.js';
import { SiteViews } from './site-views.js';

const config = loadConfig({ APP_STAGE: 'test', LOG_LEVEL: 'silent', PUBLIC_PORT: '8080' });
const registry = SiteRegistry.load(config);
const kindred = registry.get('kindred') as Site;
/** The partner's live site, with an accent chosen in the console (a stylesheet made for it). */
const live: Site = { ...kindred, theme: { ...kindred.theme, accentColor: '#225588' } };

function views(): { views: SiteViews; assets: AssetManifest } {
  const assets = new AssetManifest();
  assets.addFolder('base', resolve(config.paths.public));
  for (const site of registry.sites) assets.addFolder(site.id, resolve(site.dir, 'public'));
  const sites = registry.sites.map((site) => (site.id === live.id ? live : site));
  const isLive = (site: Site) => sites.includes(site);
  return { views: new SiteViews(sites, assets, config.paths.views, false, isLive), assets };
}

/** A partner's draft: the live site with another accent, as the console's preview builds it. */
function draftOf(site: Site, accent: string): Site {
  return { ...site, theme: { ...site.theme, accentColor: accent } };
}

const stylesheetsOf = (html: string) =>
  [...html.matchAll(/href="(\/assets\/kindred\/[^"]+\.css)"/g)].map((m) => m[1] as string);

const PAGE = 'pages/not-found.njk';

describe('a draft previewed beside the live site', () => {
  it('never makes the live site compile its templates again', () => {
    const { views: siteViews } = views();
    siteViews.render(live, PAGE, {});
    // Nunjucks compiles a template on its first render, in this (undocumented) method.
    const template = nunjucks.Template.prototype as unknown as { _compile(): void };
    const compiled = jest.spyOn(template, '_compile');
    try {
      siteViews.render(draftOf(live, '#aa3311'), PAGE, {});
      const byDraft = compiled.mock.calls.length;
      expect(byDraft).toBeGreaterThan(0);
      siteViews.render(live, PAGE, {});
      expect(compiled.mock.calls.length).toBe(byDraft);
    } finally {
      compiled.mockRestore();
    }
  });

  it('keeps the live theme stylesheet served however many drafts are previewed', () => {
    const { views: siteViews, assets } = views();
    const liveSheets = stylesheetsOf(siteViews.render(live, PAGE, {}));
    const chosen = liveSheets.filter((url) => url.includes('/chosen-theme.'));
    expect(chosen).toHaveLength(1);
    for (let i = 0; i < 12; i++) {
      const accent = `#${(0x102030 + i * 0x010101).toString(16)}`;
      const html = siteViews.render(draftOf(live, accent), PAGE, {});
      expect(stylesheetsOf(html).some((url) => url.includes('/draft-theme.'))).toBe(true);
    }
    expect(stylesheetsOf(siteViews.render(live, PAGE, {}))).toEqual(liveSheets);
    expect(assets.lookup(chosen[0] as string)).toBeDefined();
  });
});
