import nunjucks from 'nunjucks';
import { join, resolve } from 'node:path';
import { siteGlobals, type SiteViews, type ViewModel } from '../rendering/site-views.js';
import type { Site } from '../sites/site.js';

export type EmailTemplate =
  'greeting' | 'reminder' | 'sender-opened' | 'sender-scheduled' | 'account' | 'member-reminder';

export interface RenderedEmail {
  html: string;
  text: string;
}

/**
 * Email bodies per site, from `sites/<id>/views/emails` over `views/emails`. HTML goes through
 * the site's page environment (autoescape on). Plain text gets its own environments with
 * autoescape off, because HTML entities in a text/plain part would be shown literally; text
 * is never parsed as markup, so nothing there needs escaping.
 */
export class EmailViews {
  private readonly textEnvironments = new Map<string, { site: Site; env: nunjucks.Environment }>();
  private readonly base: string;

  constructor(
    private readonly pages: SiteViews,
    sites: readonly Site[],
    viewsDir: string,
  ) {
    this.base = resolve(viewsDir);
    for (const site of sites) this.textEnvironmentOf(site);
  }

  /**
   * Built again for a site changed at runtime (a new object), like the page environments; a
   * draft's (its email preview) is built for it alone and never replaces the live site's.
   */
  private textEnvironmentOf(site: Site): nunjucks.Environment {
    const held = this.textEnvironments.get(site.id);
    if (held?.site === site) return held.env;
    const loader = new nunjucks.FileSystemLoader([join(site.dir, 'views'), this.base]);
    const env = new nunjucks.Environment(loader, { autoescape: false });
    env.addGlobal('site', siteGlobals(site));
    if (this.pages.isLive(site)) this.textEnvironments.set(site.id, { site, env });
    return env;
  }

  render(site: Site, template: EmailTemplate, model: ViewModel): RenderedEmail {
    const text = this.textEnvironmentOf(site);
    // Models are built with spreads; nunjucks copies its context with for-in, which is slow on
    // a spread's object and fast on one built by assignment (see PageRenderer).
    const context = Object.assign({}, model);
    return {
      html: this.pages.render(site, `emails/${template}.html.njk`, context),
      text: tidyText(text.render(`emails/${template}.txt.njk`, context)),
    };
  }
}

/** Templates leave blank runs where optional lines were skipped; mail clients show them all. */
function tidyText(text: string): string {
  return `${text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
