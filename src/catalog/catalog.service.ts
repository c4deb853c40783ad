import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../common/domain-errors.js';
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
  description: string;
  /** The verse with the site's placeholders filled in. */
  insideText: string;
  occasion: { slug: string; name: string };
}

export interface OccasionPage {
  occasion: OccasionSummary;
  cards: CardTile[];
  pageNumber: number;
  totalPages: number;
}

export const OCCASION_PAGE_SIZE = 12;

/** The catalog as one site carries it: its occasions, its cards, its words in the verses. */
@Injectable()
export class CatalogService {
  constructor(private readonly cards: CatalogRepository) {}

  listOccasions(site: Site): Promise<OccasionSummary[]> {
    return this.cards.listOccasions(catalogScopeOf(site));
  }

  async featured(site: Site, limit = 8): Promise<CardTile[]> {
    const cards = await this.cards.listFeatured(catalogScopeOf(site), limit);
    return cards.map(toTile);
  }

  async occasionPage(site: Site, slug: string, pageNumber: number): Promise<OccasionPage> {
    const scope = catalogScopeOf(site);
    const occasion = await this.cards.findOccasion(scope, slug);
    if (!occasion) throw new NotFoundError('occasion');
    const page = await this.cards.listCards(scope, {
      occasionSlug: slug,
      limit: OCCASION_PAGE_SIZE,
      offset: (pageNumber - 1) * OCCASION_PAGE_SIZE,
    });
    const totalPages = Math.max(1, Math.ceil(page.total / OCCASION_PAGE_SIZE));
    if (pageNumber > totalPages) throw new NotFoundError('page');
    return { occasion, cards: page.items.map(toTile), pageNumber, totalPages };
  }

  async listCards(
    site: Site,
    filter: { occasionSlug?: string | undefined; limit: number; offset: number },
  ): Promise<{ items: CardTile[]; total: number }> {
    const page = await this.cards.listCards(catalogScopeOf(site), filter);
    return { items: page.items.map(toTile), total: page.total };
  }

  /** A card the site carries, or NotFoundError: another site's card is as absent as a typo. */
  async card(site: Site, slug: string): Promise<CardView> {
    const card = await this.cards.findCard(catalogScopeOf(site), slug);
    if (!card) throw new NotFoundError('card');
    return toView(card, site);
  }

  async cardById(site: Site, id: number): Promise<CardView> {
    const card = await this.cards.findCardById(catalogScopeOf(site), id);
    if (!card) throw new NotFoundError('card');
    return toView(card, site);
  }

  async related(site: Site, card: CardView, limit = 4): Promise<CardTile[]> {
    const detail = await this.cards.findCard(catalogScopeOf(site), card.slug);
    if (!detail) return [];
    const related = await this.cards.listRelated(catalogScopeOf(site), detail, limit);
    return related.map(toTile);
  }

  artwork(slug: string, hash: string, variant: ArtworkVariant): Promise<string | null> {
    return this.cards.findArtwork(slug, hash, variant);
  }
}

function toTile(card: CardSummary): CardTile {
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
    description: substitutePlaceholders(card.description, site.vars),
    insideText: substitutePlaceholders(card.insideText, site.vars),
    occasion: { slug: card.occasionSlug, name: card.occasionName },
  };
}
