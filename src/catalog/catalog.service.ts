import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../common/domain-errors.js';
import { CacheTags, DataKeys } from '../platform/cache/cache-keys.js';
import { CachePurger } from '../platform/cache/cache-purger.service.js';
import { DataCache } from '../platform/cache/data-cache.service.js';
import { substitutePlaceholders } from '../rendering/placeholders.js';
import { catalogScopeOf, type Site } from '../sites/site.js';
import { cardImagePath, cardThumbPath } from './card-urls.js';
import { CatalogRepository } from './catalog.repository.js';
import type { ArtworkVariant, CardDetail, CardSummary, OccasionSummary } from './catalog.types.js';

export interface CardTile {
  slug: string;
  title: string;
  occasionSlug: string;
  occasionName: string;
  imageUrl: string;
  thumbUrl: string;
}

export interface CardView extends CardTile {
  id: number;
  /** Pins the artwork's addresses (the email's drawing of it, say) to this version. */
  artworkHash: string;
  description: string;
  /** The verse with the site's placeholders filled in. */
  insideText: string;
  occasion: { slug: string; name: string };
}

/** What a card page shows: the card and a few others of its occasion. */
export interface CardPage {
  card: CardView;
  related: CardTile[];
}

export interface OccasionPage {
  occasion: OccasionSummary;
  cards: CardTile[];
  pageNumber: number;
  totalPages: number;
}

export const OCCASION_PAGE_SIZE = 12;

/** Fields an editor may change on a card. */
export interface CardChanges {
  title?: string;
  description?: string;
  insideText?: string;
  featured?: boolean;
}

const LIST_TTL_MS = 5 * 60_000;
const CARD_TTL_MS = 10 * 60_000;
const ARTWORK_TTL_MS = 24 * 3600_000;

/**
 * The catalog as one site carries it: its occasions, its cards, its words in the verses.
 * Reads go through the data cache (per site, tagged so an edit purges exactly what shows it);
 * writes purge those tags in every process.
 */
@Injectable()
export class CatalogService {
  constructor(
    private readonly cards: CatalogRepository,
    private readonly cache: DataCache,
    private readonly purger: CachePurger,
  ) {}

  listOccasions(site: Site): Promise<OccasionSummary[]> {
    return this.cache.getOrSet(
      DataKeys.occasions(site.id),
      { ttlMs: LIST_TTL_MS, tags: [CacheTags.site(site.id), CacheTags.listings] },
      () => this.cards.listOccasions(catalogScopeOf(site)),
    );
  }

  featured(site: Site, limit = 8): Promise<CardTile[]> {
    return this.cache.getOrSet(
      DataKeys.featured(site.id, limit),
      { ttlMs: LIST_TTL_MS, tags: [CacheTags.site(site.id), CacheTags.listings, CacheTags.home] },
      async () => (await this.cards.listFeatured(catalogScopeOf(site), limit)).map(toTile),
    );
  }

  /**
   * One page of an occasion's cards. A page past the last one is refused from the occasion's
   * card count, before any card is looked up: otherwise every made-up page number would cost
   * a query at a growing offset and a data-cache entry of its own.
   */
  async occasionPage(site: Site, slug: string, pageNumber: number): Promise<OccasionPage> {
    const occasion = (await this.listOccasions(site)).find((o) => o.slug === slug);
    if (!occasion) throw new NotFoundError('occasion');
    if (pageNumber > pageCountOf(occasion.cardCount)) throw new NotFoundError('page');
    const page = await this.listCards(site, {
      occasionSlug: slug,
      limit: OCCASION_PAGE_SIZE,
      offset: (pageNumber - 1) * OCCASION_PAGE_SIZE,
    });
    // From the list itself: the count may have moved since the occasions were read.
    const totalPages = pageCountOf(page.total);
    if (pageNumber > totalPages) throw new NotFoundError('page');
    return { occasion, cards: page.items, pageNumber, totalPages };
  }

  /**
   * How many cards the site lists (in one occasion), from the cached occasion list: null for
   * an occasion the site does not carry. Lets a caller refuse a page past the end, or an
   * unknown occasion, without a lookup of its own.
   */
  async cardCount(site: Site, occasionSlug?: string): Promise<number | null> {
    const occasions = await this.listOccasions(site);
    if (occasionSlug === undefined) return occasions.reduce((sum, o) => sum + o.cardCount, 0);
    return occasions.find((o) => o.slug === occasionSlug)?.cardCount ?? null;
  }

  listCards(
    site: Site,
    filter: { occasionSlug?: string | undefined; limit: number; offset: number },
  ): Promise<{ items: CardTile[]; total: number }> {
    const tags = [CacheTags.site(site.id), CacheTags.listings];
    if (filter.occasionSlug) tags.push(CacheTags.occasion(filter.occasionSlug));
    return this.cache.getOrSet(
      DataKeys.cardList(site.id, filter.occasionSlug, filter.limit, filter.offset),
      { ttlMs: LIST_TTL_MS, tags, absent: (page) => page.items.length === 0 },
      async () => {
        const page = await this.cards.listCards(catalogScopeOf(site), filter);
        return { items: page.items.map(toTile), total: page.total };
      },
    );
  }

  /** A card the site carries, or NotFoundError: another site's card is as absent as a typo. */
  async card(site: Site, slug: string): Promise<CardView> {
    const card = await this.cache.getOrSet(
      DataKeys.card(site.id, slug),
      {
        ttlMs: CARD_TTL_MS,
        tags: [CacheTags.site(site.id), CacheTags.card(slug)],
        absent: (card) => card === null,
      },
      async () => {
        const found = await this.cards.findCard(catalogScopeOf(site), slug);
        return found ? toView(found, site) : null;
      },
    );
    if (!card) throw new NotFoundError('card');
    return card;
  }

  /**
   * Everything the card page shows, as one cache entry: one lookup per page view instead of
   * one for the card and one for its related cards.
   */
  async cardPage(site: Site, slug: string, relatedLimit = 4): Promise<CardPage> {
    const recent = this.recentCardPage(site, slug, relatedLimit);
    if (recent === null) throw new NotFoundError('card');
    return recent ?? this.loadCardPage(site, slug, relatedLimit);
  }

  /**
   * The card page as this process read it in the last moments, without a promise: null when
   * the card is known to be absent, undefined when it must be loaded (`cardPage`). The hottest
   * read there is, so it builds no options, tags or loader.
   */
  recentCardPage(site: Site, slug: string, relatedLimit = 4): CardPage | null | undefined {
    return this.cache.peek<CardPage | null>(DataKeys.cardPage(site.id, slug, relatedLimit));
  }

  private async loadCardPage(site: Site, slug: string, relatedLimit: number): Promise<CardPage> {
    const page = await this.cache.getOrSet<CardPage | null>(
      DataKeys.cardPage(site.id, slug, relatedLimit),
      {
        ttlMs: CARD_TTL_MS,
        tags: [CacheTags.site(site.id), CacheTags.card(slug)],
        absent: (found) => found === null,
      },
      async (addTags) => {
        const scope = catalogScopeOf(site);
        const found = await this.cards.findCard(scope, slug);
        if (!found) return null;
        addTags([CacheTags.occasion(found.occasionSlug)]);
        const related = await this.cards.listRelated(scope, found, relatedLimit);
        return { card: toView(found, site), related: related.map(toTile) };
      },
    );
    if (!page) throw new NotFoundError('card');
    return page;
  }

  /** For personal pages (pickup, confirmation): read through, never cached. */
  async cardById(site: Site, id: number): Promise<CardView> {
    const card = await this.cards.findCardById(catalogScopeOf(site), id);
    if (!card) throw new NotFoundError('card');
    return toView(card, site);
  }

  /** Artwork never changes under a given hash, so it may stay cached for a long time. */
  artwork(slug: string, hash: string, variant: ArtworkVariant): Promise<string | null> {
    return this.cache.getOrSet(
      DataKeys.artwork(slug, hash, variant),
      { ttlMs: ARTWORK_TTL_MS, tags: [CacheTags.card(slug)], absent: (svg) => svg === null },
      () => this.cards.findArtwork(slug, hash, variant),
    );
  }

  /** Edits a card and purges every cached page and entry that shows it, in every process. */
  async updateCard(
    slug: string,
    changes: CardChanges,
  ): Promise<{ slug: string; purged: string[] }> {
    const occasionSlug = await this.cards.updateCard(slug, changes);
    if (occasionSlug === null) throw new NotFoundError('card');
    const { tags } = await this.purger.purge([
      CacheTags.card(slug),
      CacheTags.occasion(occasionSlug),
      CacheTags.home,
    ]);
    return { slug, purged: tags };
  }
}

function pageCountOf(cards: number): number {
  return Math.max(1, Math.ceil(cards / OCCASION_PAGE_SIZE));
}

export function toTile(card: CardSummary): CardTile {
  return {
    slug: card.slug,
    title: card.title,
    occasionSlug: card.occasionSlug,
    occasionName: card.occasionName,
    imageUrl: cardImagePath(card),
    thumbUrl: cardThumbPath(card),
  };
}

function toView(card: CardDetail, site: Site): CardView {
  return {
    ...toTile(card),
    id: card.id,
    artworkHash: card.artworkHash,
    description: substitutePlaceholders(card.description, site.vars),
    insideText: substitutePlaceholders(card.insideText, site.vars),
    occasion: { slug: card.occasionSlug, name: card.occasionName },
  };
}
