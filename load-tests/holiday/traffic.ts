import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { call } from './http.js';
import type { Kind, Mix } from './model.js';
import type { VisitorTraffic } from './visitor-traffic.js';
import { seededShuffle, Zipf } from './zipf.js';

export interface SiteCatalog {
  id: string;
  /** The canonical hostname, sent as Host. */
  host: string;
  maxRecipients: number;
  cards: string[];
  occasions: string[];
}

export interface PlannedRequest {
  kind: Kind;
  method: 'GET' | 'POST';
  path: string;
  host: string;
  body?: string;
  /** A signed-in member's session cookie. */
  cookie?: string;
}

interface SiteFile {
  id: string;
  hostnames: string[];
  limits?: { maxRecipients?: number };
}

/** Ids and canonical hosts of every site under `sites/`. */
export function readSites(dir = 'sites'): { id: string; host: string; maxRecipients: number }[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => JSON.parse(readFileSync(join(dir, d.name, 'site.json'), 'utf8')) as SiteFile)
    .map((s) => ({
      id: s.id,
      host: s.hostnames[0] ?? '',
      maxRecipients: s.limits?.maxRecipients ?? 1,
    }));
}

/**
 * Every site's card slugs and occasions, read through the public API with the site's Host: the
 * sites under `sites/` and `more` (partner sites the run made).
 */
export async function discoverCatalog(
  baseUrl: string,
  apiKey: string,
  more: readonly { id: string; host: string; maxRecipients: number }[] = [],
): Promise<SiteCatalog[]> {
  const catalogs: SiteCatalog[] = [];
  for (const { id, host, maxRecipients } of [...readSites(), ...more]) {
    const site = { id, host, maxRecipients };
    const items: { slug: string; occasion: string }[] = [];
    for (let offset = 0; ; offset += 100) {
      const res = await call(baseUrl, {
        path: `/api/cards?limit=100&offset=${offset}`,
        host: site.host,
        headers: { 'x-api-key': apiKey },
      });
      if (res.status !== 200) throw new Error(`${site.host}: /api/cards answered ${res.status}`);
      const page = JSON.parse(res.body) as {
        items: { slug: string; occasion: string }[];
        total: number;
      };
      items.push(...page.items);
      if (page.items.length === 0 || items.length >= page.total) break;
    }
    if (items.length === 0) throw new Error(`${site.host} lists no cards: is the catalog seeded?`);
    catalogs.push({
      ...site,
      cards: items.map((i) => i.slug),
      occasions: [...new Set(items.map((i) => i.occasion))],
    });
  }
  return catalogs;
}

const FIRST_NAMES = ['Ann', 'Bob', 'Chloé', 'Dev', 'Eun-ji', 'Farah', 'Gus', 'Hana', 'Ivo', 'Jo'];
const MESSAGES = [
  'Thinking of you today!',
  'Have a wonderful day, with love.',
  'Happy holidays from all of us.',
  'Wishing you the very best.',
];

/**
 * Builds each request of the mix: card views by Zipf popularity over every site's cards,
 * home and occasion pages by catalog size, pickups of greetings this run sent, compose pages,
 * and sends with fresh names, addresses and idempotency keys.
 */
export class TrafficPlan {
  readonly runId = randomBytes(4).toString('hex');
  /** Recipient addresses of every accepted send, checked against the SMTP sink at the end. */
  readonly acceptedRecipients: string[] = [];
  /** Each accepted recipient's pickup link, by address (the report check opens some). */
  readonly pickupUrls = new Map<string, string>();
  private readonly pickups: { host: string; path: string }[] = [];
  private readonly popularCards: Zipf<{ site: SiteCatalog; slug: string }>;
  private readonly siteCards = new Map<SiteCatalog, Zipf<string>>();
  private readonly siteWeights: number[];
  private sequence = 0;
  pickupFallbacks = 0;
  /** Searches and signed-in members' requests; without it those kinds are never drawn. */
  visitors: VisitorTraffic | null = null;

  constructor(
    readonly sites: SiteCatalog[],
    private readonly maxPickupPool = 5000,
    private readonly random: () => number = Math.random,
  ) {
    const pairs = sites.flatMap((site) => site.cards.map((slug) => ({ site, slug })));
    this.popularCards = new Zipf(seededShuffle(pairs, 2024));
    for (const site of sites) this.siteCards.set(site, new Zipf(seededShuffle(site.cards, 7)));
    this.siteWeights = sites.map((s) => s.cards.length);
  }

  /** Share of card views the ten most popular cards get (printed with the run). */
  topTenShare(): number {
    return this.popularCards.topShare(10);
  }

  next(mix: Mix): PlannedRequest {
    return this.request(this.pickKind(mix));
  }

  /** Whether a kind's requests change as the run goes (new pickups, fresh sends). */
  static isDynamic(kind: Kind): boolean {
    return kind === 'pickup' || kind === 'send';
  }

  /** One request of the kind; a pickup before any greeting exists becomes a card view. */
  request(kind: Kind): PlannedRequest {
    switch (kind) {
      case 'card': {
        const { site, slug } = this.popularCards.pick(this.random);
        return { kind, method: 'GET', path: `/cards/${slug}`, host: site.host };
      }
      case 'home':
        return { kind, method: 'GET', path: '/', host: this.pickSite().host };
      case 'occasion': {
        const site = this.pickSite();
        const occasion = site.occasions[Math.floor(this.random() * site.occasions.length)] ?? '';
        return { kind, method: 'GET', path: `/occasions/${occasion}`, host: site.host };
      }
      case 'compose': {
        const site = this.pickSite();
        const slug = this.siteCards.get(site)?.pick(this.random) ?? '';
        return { kind, method: 'GET', path: `/cards/${slug}/send`, host: site.host };
      }
      case 'pickup': {
        // Recent greetings are the ones being opened; until one exists, the visitor views a card.
        const n = this.pickups.length;
        if (n === 0) {
          this.pickupFallbacks += 1;
          return this.request('card');
        }
        const recent = Math.min(n, 500);
        const pick = this.pickups[n - 1 - Math.floor(this.random() * recent)];
        return { kind, method: 'GET', path: pick?.path ?? '/', host: pick?.host ?? '' };
      }
      case 'send':
        return this.send();
      case 'search':
      case 'search-rare':
      case 'preview':
      case 'photo':
      case 'm-card':
      case 'm-home':
      case 'm-occasion':
      case 'history':
      case 'm-compose':
      case 'm-pick':
      case 'm-send': {
        const planned = this.visitors?.request(kind);
        if (!planned) throw new Error(`no plan for ${kind} requests in this run`);
        return planned;
      }
    }
  }

  /** A card by popularity over every site's cards. */
  popularCard(): { site: SiteCatalog; slug: string } {
    return this.popularCards.pick(this.random);
  }

  /** A card of one site, by that site's own popularity. */
  siteCard(site: SiteCatalog): string {
    return this.siteCards.get(site)?.pick(this.random) ?? site.cards[0] ?? '';
  }

  /** A send with `recipients` fresh addresses, due now or at `sendAt`. */
  send(recipients = 1, sendAt?: string, site = this.pickSite()): PlannedRequest {
    const n = ++this.sequence;
    const name = FIRST_NAMES[n % FIRST_NAMES.length] ?? 'Ann';
    const body = {
      cardSlug: this.siteCards.get(site)?.pick(this.random),
      sender: { name: `${name} ${n}`, email: `sender-${this.runId}-${n}@load.example` },
      recipients: Array.from({ length: Math.min(recipients, site.maxRecipients) }, (_, i) => ({
        name: `Friend ${n}.${i}`,
        email: `r-${this.runId}-${n}-${i}@load.example`,
      })),
      message: `${MESSAGES[n % MESSAGES.length]} (#${n})`,
      idempotencyKey: `load-${this.runId}-${n}`,
      ...(sendAt ? { sendAt } : {}),
    };
    return {
      kind: 'send',
      method: 'POST',
      path: '/api/greetings',
      host: site.host,
      body: JSON.stringify(body),
    };
  }

  /** Keeps the pickup links and recipient addresses of an accepted send's response body. */
  collect(responseBody: string): void {
    let parsed: { recipients?: { email?: string; pickupUrl?: string }[] };
    try {
      parsed = JSON.parse(responseBody) as typeof parsed;
    } catch {
      return;
    }
    for (const r of parsed.recipients ?? []) {
      if (r.email) this.acceptedRecipients.push(r.email.toLowerCase());
      if (!r.pickupUrl) continue;
      if (r.email) this.pickupUrls.set(r.email.toLowerCase(), r.pickupUrl);
      const url = new URL(r.pickupUrl);
      this.pickups.push({ host: url.hostname, path: url.pathname });
    }
    if (this.pickups.length > this.maxPickupPool) this.pickups.splice(0, this.pickups.length / 2);
  }

  get pickupCount(): number {
    return this.pickups.length;
  }

  pickKind(mix: Mix): Kind {
    let total = 0;
    for (const w of Object.values(mix)) total += w;
    let target = this.random() * total;
    for (const [kind, weight] of Object.entries(mix) as [Kind, number][]) {
      target -= weight;
      if (target < 0) return kind;
    }
    return 'card';
  }

  /** A site, weighted by catalog size. */
  pickSite(): SiteCatalog {
    let target = this.random() * this.siteWeights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < this.sites.length; i++) {
      target -= this.siteWeights[i] ?? 0;
      if (target < 0) return this.sites[i] as SiteCatalog;
    }
    return this.sites[0] as SiteCatalog;
  }
}
