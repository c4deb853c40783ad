import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rawGet } from '../support/response-headers.js';

/** The public pages a visitor meets before sending, in the order they meet them. */
export const PAGE_NAMES = ['home', 'occasion', 'card', 'compose', 'search'] as const;
export type PageName = (typeof PAGE_NAMES)[number];

export interface AuditedSite {
  id: string;
  /**
   * The site's `*.localhost` name: a secure context, as the real host is over HTTPS, so the
   * browser treats the page as it would in production (and Lighthouse counts it as secure).
   */
  host: string;
}

export interface AuditedPage {
  site: AuditedSite;
  name: PageName;
  path: string;
}

/** Every demo site in `sites/`, by its development host name. */
export function demoSites(dir = 'sites'): AuditedSite[] {
  const sites: AuditedSite[] = [];
  for (const id of readdirSync(dir).sort()) {
    const manifest = JSON.parse(readFileSync(join(dir, id, 'site.json'), 'utf8')) as {
      hostnames: string[];
    };
    const host = manifest.hostnames.find((name) => name.endsWith('.localhost'));
    if (host === undefined) throw new Error(`sites/${id}/site.json names no *.localhost host`);
    sites.push({ id, host });
  }
  return sites;
}

/**
 * The site's public pages: a card of its own catalog (the first, as its home shows it), that
 * card's occasion, its compose form, and a search for that occasion's name.
 */
export async function publicPagesOf(stackUrl: string, site: AuditedSite): Promise<AuditedPage[]> {
  const answer = await rawGet(`${stackUrl}/api/cards?limit=1`, { host: site.host });
  const catalog = JSON.parse(answer.bytes.toString('utf8')) as {
    items: { slug: string; occasion: string }[];
  };
  const card = catalog.items[0];
  if (answer.status !== 200 || card === undefined) {
    throw new Error(`${site.id}: the catalog API answered ${answer.status} with no card`);
  }
  const paths: Record<PageName, string> = {
    home: '/',
    occasion: `/occasions/${card.occasion}`,
    card: `/cards/${card.slug}`,
    compose: `/cards/${card.slug}/send`,
    search: `/search?q=${encodeURIComponent(card.occasion)}`,
  };
  return PAGE_NAMES.map((name) => ({ site, name, path: paths[name] }));
}

/**
 * Asks for the page a few times as a browser would, so the audit meets it as visitors do on
 * a live site: from the page cache (a search is stored once it is popular), compressed.
 */
export async function warmPage(stackUrl: string, page: AuditedPage): Promise<void> {
  for (let round = 0; round < 3; round++) {
    const answer = await rawGet(`${stackUrl}${page.path}`, {
      host: page.site.host,
      'accept-encoding': 'br, gzip',
    });
    if (answer.status !== 200) {
      throw new Error(`${page.site.id} ${page.name}: ${page.path} answered ${answer.status}`);
    }
  }
}
