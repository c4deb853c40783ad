import type { SignedInMember } from './members.js';
import type { Kind } from './model.js';
import type { PlannedRequest, SiteCatalog, TrafficPlan } from './traffic.js';
import { Zipf } from './zipf.js';

/** Words people search for most on a card site, most asked first. */
const POPULAR_QUERIES = [
  'birthday',
  'thank you',
  'christmas',
  'love',
  'congratulations',
  'thanksgiving',
  'get well',
  'anniversary',
  'holiday',
  'friend',
];

/**
 * Searches (popular words by Zipf, rare ones from the long tail of card names or matching
 * nothing) and the requests of signed-in members: the same pages as anyone (a card by the same
 * popularity, then a member of that card's site), their sent history, each with the member's
 * session cookie.
 */
export class VisitorTraffic {
  private readonly popular = new Zipf(POPULAR_QUERIES);
  private readonly rareWords: string[];
  private readonly bySite = new Map<string, SignedInMember[]>();
  private rareSequence = 0;

  constructor(
    private readonly plan: TrafficPlan,
    sites: readonly SiteCatalog[],
    readonly members: readonly SignedInMember[],
    private readonly random: () => number = Math.random,
  ) {
    const words = new Set<string>();
    for (const site of sites)
      for (const slug of site.cards)
        for (const w of slug.split('-')) if (w.length > 3) words.add(w);
    this.rareWords = [...words];
    for (const m of members) {
      const list = this.bySite.get(m.siteId) ?? [];
      list.push(m);
      this.bySite.set(m.siteId, list);
    }
  }

  request(kind: Kind): PlannedRequest | null {
    switch (kind) {
      case 'search':
        return this.search(kind, this.popular.pick(this.random));
      case 'search-rare':
        return this.search(kind, this.rareQuery());
      case 'm-card': {
        const { site, slug } = this.plan.popularCard();
        const member = this.memberOf(site.id);
        if (!member) return null;
        if (member.siteId === site.id) return this.get(kind, member, `/cards/${slug}`);
        // No member on that card's site: the member views a card of their own site.
        const own = this.siteOf(member);
        return this.get(kind, member, `/cards/${own ? this.plan.siteCard(own) : slug}`);
      }
      case 'm-home': {
        const member = this.anyMember();
        return member ? this.get(kind, member, '/') : null;
      }
      case 'm-occasion': {
        const member = this.anyMember();
        const site = member ? this.siteOf(member) : undefined;
        if (!member || !site) return null;
        const occasion = site.occasions[Math.floor(this.random() * site.occasions.length)] ?? '';
        return this.get(kind, member, `/occasions/${occasion}`);
      }
      case 'history': {
        const member = this.anyMember();
        return member ? this.get(kind, member, '/account/history') : null;
      }
      case 'card':
      case 'home':
      case 'occasion':
      case 'compose':
      case 'pickup':
      case 'send':
      case 'preview':
      case 'photo':
      case 'm-compose':
      case 'm-pick':
      case 'm-send':
        return null;
    }
  }

  /** A member with send budget left (MEMBER_SENDS_PER_DAY, 50 by default), or null. */
  memberWithBudget(budget: number): SignedInMember | null {
    const n = this.members.length;
    const start = Math.floor(this.random() * n);
    for (let i = 0; i < n; i++) {
      const m = this.members[(start + i) % n];
      if (m && m.sends < budget) return m;
    }
    return null;
  }

  siteOf(member: SignedInMember): SiteCatalog | undefined {
    return this.plan.sites.find((s) => s.id === member.siteId);
  }

  private search(kind: Kind, query: string): PlannedRequest {
    const site = this.plan.pickSite();
    return {
      kind,
      method: 'GET',
      // Encoded as a browser's GET form and the page's own links do (a space is `+`).
      path: `/search?q=${encodeURIComponent(query).replace(/%20/g, '+')}`,
      host: site.host,
    };
  }

  /** Half a word from the long tail of card names, half a word no card has. */
  private rareQuery(): string {
    if (this.random() < 0.5 && this.rareWords.length > 0) {
      return this.rareWords[Math.floor(this.random() * this.rareWords.length)] ?? 'quill';
    }
    return `zq${(++this.rareSequence).toString(36)}x`;
  }

  private memberOf(siteId: string): SignedInMember | null {
    const list = this.bySite.get(siteId);
    if (list && list.length > 0) return list[Math.floor(this.random() * list.length)] ?? null;
    return this.anyMember();
  }

  private anyMember(): SignedInMember | null {
    return this.members[Math.floor(this.random() * this.members.length)] ?? null;
  }

  private get(kind: Kind, member: SignedInMember, path: string): PlannedRequest {
    return { kind, method: 'GET', path, host: member.host, cookie: member.cookie };
  }
}
